// Package components holds the customer app's reusable widgets: the
// transcript view (windowed, with per-message line caches), the message input
// (a bounded textarea that normalises pastes) and the side panels. Each is a
// plain struct with SetSize and View; those that take input have
// Update(msg) (T, tea.Cmd). None does I/O.
package components
