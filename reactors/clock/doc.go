// Package clock is the workflow clock: a reactor on the global log that turns
// passed deadlines into the platform's own commands (DOMAIN.md §2 "SYS").
//
// It owns four watches, read from each case as the domain folds it:
//
//   - the receipt deadline of the current round (set by the
//     ContractNoticePublished that opens the first round, by the
//     CandidatesInvited of a restricted procedure and the FinalTendersCalled
//     of a negotiation that open the tender round, moved by
//     TenderDeadlineExtended, gone once the round's TenderingClosed is in):
//     CloseReceipt when it has passed;
//   - the end of the standstill (StandstillStarted.EndsAt, its last instant):
//     EndStandstill once the clock is after it while the case is in
//     STANDSTILL. A suspension (SUSPENDED) holds it: the clock sends nothing
//     until a review lets the standstill go on, and then at once if the end
//     has passed meanwhile;
//   - questions without an answer older than Config.QuestionAge: a daily
//     SendReminder(UNANSWERED_QUESTION) to the lead;
//   - a tender documents version still missing votes older than
//     Config.ApprovalAge: a daily SendReminder(MISSING_APPROVAL) to the members
//     that have not voted.
//
// Cancelled and terminal cases drop out. The reactor only says when; the
// decider still decides: every command goes through the app layer (AppCases)
// as app.System with a command ID derived from what it is about (the case, the
// round and the deadline; the case and the standstill's end; the reminder's
// subject and local day), so a clock that ticks twice, restarts, or runs next
// to another clock over the same log appends nothing twice. A refusal that is
// part of the case's life (receipt held open by an unanswered question, a
// deadline or standstill end the dispatcher's clock has not reached, a
// suspension the clock has not read yet, a case that ended) is logged at info
// once and tried again at later ticks; any other refusal is an error.
//
// Time comes from the injected Config.Now, never from time.Now, so tests move a
// fake clock; Run ticks on an interval and right after each handled message.
package clock
