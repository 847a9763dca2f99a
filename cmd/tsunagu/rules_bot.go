package main

import "tsunagu/bot"

// The bot's rules files are recognised by their top-level "intents:" key.
func init() {
	fileCheckers = append(fileCheckers, fileChecker{kind: "rules", topKey: "intents", check: bot.Check})
}
