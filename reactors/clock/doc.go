// Package clock is the workflow clock: a reactor on the global log that turns
// passed deadlines into the platform's own commands (DOMAIN.md §2 "SYS").
//
// It owns three watches, read from each case as the domain folds it:
//
//   - the receipt deadline of the current tendering round (set by
//     ContractNoticePublished, moved by TenderDeadlineExtended, gone once the
//     round's TenderingClosed is in): CloseReceipt when it has passed;
//   - questions without an answer older than Config.QuestionAge: a daily
//     SendReminder(UNANSWERED_QUESTION) to the lead;
//   - a tender documents version still missing votes older than
//     Config.ApprovalAge: a daily SendReminder(MISSING_APPROVAL) to the members
//     that have not voted.
//
// Cancelled and terminal cases drop out. The reactor only says when; the
// decider still decides: every command goes through app.Procurements as
// app.System with a command ID derived from what it is about (the case, the
// round and the deadline; the reminder's subject and local day), so a clock
// that ticks twice, restarts, or runs next to another clock over the same log
// appends nothing twice.
//
// Time comes from the injected Config.Now, never from time.Now, so tests move a
// fake clock; Run ticks on an interval and right after each handled message.
package clock
