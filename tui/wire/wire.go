// Package wire adapts the real domain packages (bot, handoff, transcripts,
// bot/profile) to the small interfaces the customer app declares in
// tui/common. cmd/tsunagu uses it to start the app, and tui's tests use it
// to drive the real bot and desk.
package wire

import (
	"fmt"
	"os"
	"time"

	"tsunagu/bot"
	"tsunagu/handoff"
	"tsunagu/tui/common"
)

// Bot is the rules engine seen through common.Bot.
type Bot struct {
	Engine *bot.Engine
}

// LoadBot reads a rules file ("" for the embedded default) and trains the
// engine. It is slow (training), so the app runs it in a command after the
// first frame.
func LoadBot(rulesFile string) (*Bot, error) {
	var rules *bot.Rules
	if rulesFile == "" {
		rules = bot.DefaultRules()
	} else {
		data, err := os.ReadFile(rulesFile)
		if err != nil {
			return nil, fmt.Errorf("cannot read the rules file: %w", err)
		}
		if rules, err = bot.LoadRules(rulesFile, data); err != nil {
			return nil, err
		}
	}
	return &Bot{Engine: bot.NewEngine(rules)}, nil
}

// Menu is the rules' topic menu in lang.
func (b *Bot) Menu(lang string) []common.Category {
	var out []common.Category
	for _, c := range b.Engine.Rules().Menu {
		cat := common.Category{ID: c.ID, Label: c.Label.In(lang), NeedsAccount: c.NeedsAccount, NeedsOrder: c.NeedsOrder}
		for _, t := range c.Topics {
			cat.Topics = append(cat.Topics, common.Topic{ID: t.ID, Label: t.Label.In(lang), Intent: t.Intent})
		}
		out = append(out, cat)
	}
	return out
}

// orderStatus maps a profile status to the bot's vocabulary.
var orderStatus = map[string]string{"in_transit": "shipped"}

// Start opens the dialogue with what the contact flow collected.
func (b *Bot) Start(f common.Facts) (common.Dialogue, bot.Decision) {
	bf := bot.Facts{Lang: f.Lang, CustomerName: f.CustomerName, SignedIn: f.SignedIn, Intent: f.Topic.Intent}
	if f.OrderID != "" {
		status := f.OrderStatus
		if s, ok := orderStatus[status]; ok {
			status = s
		}
		date, _ := time.Parse(time.DateOnly, f.OrderDate)
		bf.Order = &bot.Order{ID: f.OrderID, Items: f.OrderItems, Status: status, StatusDate: date}
	}
	conv := b.Engine.NewConversation(f.ConversationID, bf)
	return conv, conv.Opening()
}

// Knowledge is the rules' playbooks for simulated operators and packet
// summaries, through the handoff package's own adapter.
func (b *Bot) Knowledge() handoff.Knowledge { return handoff.NewRulesKnowledge(b.Engine.Rules()) }

// DeskFactory returns a function that opens a live desk for one
// conversation, starting at the clock's now.
func DeskFactory(pool *handoff.Pool, kb handoff.Knowledge, clock common.Clock, seed uint64) func(string) (common.Desk, error) {
	return func(string) (common.Desk, error) {
		d, err := handoff.NewDesk(handoff.DeskConfig{Pool: pool, Knowledge: kb, Start: clock.Now(), Seed: seed})
		if err != nil {
			return nil, err
		}
		return d, nil
	}
}
