package procurement

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/felles/felles/domain/organisation"
)

// The market dialogue (DOMAIN.md §1 P3, §4.4): the hub or the lead invites
// the market, suppliers register, every one-to-one meeting is offered to every
// registered supplier, minutes have a public part, every answer goes to every
// registered supplier with the question anonymised, and the dialogue closes
// only when nothing is left unanswered or unminuted and the levelling measures
// are recorded.

const (
	maxText     = 20000
	maxQuestion = 4000
	maxTitle    = 200
)

var (
	idPattern      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	noticeIDFormat = regexp.MustCompile(`^[\x21-\x7e][\x20-\x7e]{0,99}$`)
)

func textOK(s string, max int) bool { return s != "" && !tooLong(s, max) }

func publishDialogueNotice(s State, c PublishDialogueNotice) ([]Event, error) {
	text, ext := strings.TrimSpace(c.Text), strings.TrimSpace(c.ExternalNoticeID)
	switch {
	case !c.Channel.valid():
		return nil, ErrInvalidChannel.With("%q", c.Channel)
	case !noticeIDFormat.MatchString(ext):
		return nil, ErrExternalNoticeIDRequired
	case !textOK(text, maxText):
		return nil, ErrNoticeTextRequired
	case !c.RegistrationDeadline.After(c.At):
		return nil, ErrRegistrationDeadline
	}
	if err := hubOrLead(s, c); err != nil {
		return nil, err
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	n := DialogueNoticePublished{Channel: c.Channel, ExternalNoticeID: ext, Text: text,
		RegistrationDeadline: c.RegistrationDeadline.UTC(), PublishedAt: c.At.UTC()}
	if s.Phase == PhaseMarketDialogue && s.Dialogue.Notice.Channel == n.Channel && s.Dialogue.Notice.ExternalNoticeID == ext && s.Dialogue.Notice.Text == text &&
		s.Dialogue.Notice.RegistrationDeadline.Equal(n.RegistrationDeadline) {
		return nil, nil
	}
	if s.Phase != PhaseNeeds {
		return nil, ErrDialogueNotFromNeeds.With("the case is in %s", s.Phase)
	}
	if !s.ApprovedNeeds() {
		return nil, ErrNeedsNotApproved
	}
	if missing := s.membersWithout(func(org string) bool { _, ok := s.Submissions[org]; return ok }); len(missing) > 0 {
		return nil, ErrNeedsOutstanding.With("no needs from %s", strings.Join(missing, ", "))
	}
	return []Event{n}, nil
}

// membersWithout lists the joined members for which has is false.
func (s State) membersWithout(has func(org string) bool) []string {
	var out []string
	for _, org := range s.joinedMembers() {
		if !has(org) {
			out = append(out, org)
		}
	}
	return out
}

// supplierOf resolves who a supplier command is for: the acting supplier
// itself, or the supplier the hub or lead names.
func supplierOf(s State, c Command, named string, kind organisation.Kind) (string, error) {
	by := c.Actor().Org
	if named == "" || named == by {
		if kind != organisation.KindSupplier {
			if err := ensureVisibleToSupplier(s, by); err != nil {
				return "", err
			}
			return "", ErrNotSupplier
		}
		return by, ensureVisibleToSupplier(s, by)
	}
	if err := hubOrLead(s, c); err != nil {
		if errors.Is(err, ErrHubOrLeadOnly) {
			return "", ErrRecordForOthers
		}
		return "", err
	}
	if kind != organisation.KindSupplier {
		return "", ErrNotSupplier.With("%s is not a registered supplier organisation", named)
	}
	return named, ensureOpen(s)
}

// ensureVisibleToSupplier: to a supplier the case exists once the market has
// been told about it (a dialogue or contract notice), not before.
func ensureVisibleToSupplier(s State, org string) error {
	if _, inCase := s.Members[org]; inCase || org == s.Hub {
		return ensureOpen(s)
	}
	if s.Dialogue.Notice.PublishedAt.IsZero() && s.Tendering.Notice == nil {
		return ErrNotFound
	}
	return ensureOpen(s)
}

func registerSupplier(s State, c RegisterSupplier) ([]Event, error) {
	supplier, err := supplierOf(s, c, c.Supplier, c.SupplierKind)
	if err != nil {
		return nil, err
	}
	if _, ok := s.Dialogue.Suppliers[supplier]; ok {
		return nil, nil // registered once is registered for the whole procurement
	}
	var stage Stage
	switch {
	case s.Phase == PhaseMarketDialogue && !c.At.After(s.Dialogue.Notice.RegistrationDeadline):
		stage = StageDialogue
	case s.Phase == PhaseTendering && c.At.Before(s.Tendering.Deadline):
		stage = StageTender
	default:
		return nil, ErrRegistrationClosed
	}
	var offered []string
	for _, id := range slices.Sorted(mapKeys(s.Dialogue.Events)) {
		e := s.Dialogue.Events[id]
		if e.Type == DialogueOneToOne && !e.Cancelled && e.Minutes == nil && e.StartsAt.After(c.At) {
			offered = append(offered, id)
		}
	}
	return []Event{SupplierRegistered{Supplier: supplier, Stage: stage, RecordedBy: c.By.Org, OfferedEvents: offered, RegisteredAt: c.At.UTC()}}, nil
}

// registeredSuppliers lists every registered supplier, sorted.
func (s State) registeredSuppliers() []string {
	return slices.Sorted(mapKeys(s.Dialogue.Suppliers))
}

// dialogueActor checks the actor is the hub or the lead of an open case;
// dialoguePhase that the case is in the market dialogue. Between the two a
// command recognises its own repeat, which is a no-op also after the dialogue.
func dialogueActor(s State, c Command) error {
	if err := hubOrLead(s, c); err != nil {
		return err
	}
	return ensureOpen(s)
}

func dialoguePhase(s State) error {
	if s.Phase != PhaseMarketDialogue {
		return ErrNotDialoguePhase.With("the case is in %s", s.Phase)
	}
	return nil
}

func scheduleDialogueEvent(s State, c ScheduleDialogueEvent) ([]Event, error) {
	title := strings.TrimSpace(c.Title)
	switch {
	case !idPattern.MatchString(c.EventID):
		return nil, ErrInvalidDialogueEventID
	case !c.Type.valid():
		return nil, ErrInvalidDialogueEventType.With("%q", c.Type)
	case !textOK(title, maxTitle):
		return nil, ErrTitleTooLong
	}
	if err := dialogueActor(s, c); err != nil {
		return nil, err
	}
	ev := DialogueEventScheduled{EventID: c.EventID, Type: c.Type, Title: title, StartsAt: c.StartsAt.UTC(), OfferedTo: s.registeredSuppliers()}
	if prev, ok := s.Dialogue.Events[c.EventID]; ok {
		if prev.Type == ev.Type && prev.Title == title && prev.StartsAt.Equal(ev.StartsAt) {
			return nil, nil
		}
		return nil, ErrDialogueEventIDTaken
	}
	if err := dialoguePhase(s); err != nil {
		return nil, err
	}
	if !c.StartsAt.After(c.At) {
		return nil, ErrEventInPast
	}
	return []Event{ev}, nil
}

func cancelDialogueEvent(s State, c CancelDialogueEvent) ([]Event, error) {
	reason, err := requiredReason(c.Reason)
	if err != nil {
		return nil, err
	}
	if err := dialogueActor(s, c); err != nil {
		return nil, err
	}
	e, ok := s.Dialogue.Events[c.EventID]
	if ok && e.Cancelled {
		return nil, nil
	}
	if err := dialoguePhase(s); err != nil {
		return nil, err
	}
	switch {
	case !ok:
		return nil, ErrDialogueEventNotFound
	case e.Minutes != nil:
		return nil, ErrDialogueEventHeld
	}
	return []Event{DialogueEventCancelled{EventID: c.EventID, Reason: reason}}, nil
}

func recordMeetingNotes(s State, c RecordMeetingNotes) ([]Event, error) {
	summary := strings.TrimSpace(c.PublicSummary)
	annex := strings.ToLower(strings.TrimSpace(c.ConfidentialAnnexHash))
	attendees := slices.Clone(c.Attendees)
	slices.Sort(attendees)
	attendees = slices.Compact(attendees)
	switch {
	case !textOK(summary, maxText):
		return nil, ErrPublicSummaryRequired
	case annex != "" && !sha256Hex.MatchString(annex):
		return nil, ErrInvalidDocumentHash.With("confidential annex")
	}
	if err := dialogueActor(s, c); err != nil {
		return nil, err
	}
	e, ok := s.Dialogue.Events[c.EventID]
	if ok && e.Minutes != nil && e.Minutes.PublicSummary == summary && e.Minutes.ConfidentialAnnexHash == annex && slices.Equal(e.Minutes.Attendees, attendees) {
		return nil, nil
	}
	if err := dialoguePhase(s); err != nil {
		return nil, err
	}
	switch {
	case !ok:
		return nil, ErrDialogueEventNotFound
	case e.Cancelled:
		return nil, ErrDialogueEventCancelled
	case c.At.Before(e.StartsAt):
		return nil, ErrMinutesBeforeEvent.With("the event starts %s", e.StartsAt.Format(time.RFC3339))
	}
	for _, a := range attendees {
		if _, ok := s.Dialogue.Suppliers[a]; !ok {
			return nil, ErrAttendeeNotRegistered.With("%q", a)
		}
	}
	m := DialogueMeetingMinuted{EventID: c.EventID, Attendees: attendees, PublicSummary: summary, ConfidentialAnnexHash: annex}
	if e.Minutes != nil {
		if e.Minutes.PublicSummary == summary && e.Minutes.ConfidentialAnnexHash == annex && slices.Equal(e.Minutes.Attendees, attendees) {
			return nil, nil
		}
		return nil, ErrAlreadyMinuted
	}
	return []Event{m}, nil
}

func askQuestion(s State, c AskQuestion) ([]Event, error) {
	text := strings.TrimSpace(c.Text)
	switch {
	case !idPattern.MatchString(c.QuestionID):
		return nil, ErrInvalidQuestionID
	case !textOK(text, maxQuestion):
		return nil, ErrQuestionTextRequired
	}
	supplier, err := supplierOf(s, c, c.Supplier, c.SupplierKind)
	if err != nil {
		return nil, err
	}
	if prev, ok := s.Dialogue.Questions[c.QuestionID]; ok {
		if prev.Supplier == supplier && prev.Text == text {
			return nil, nil
		}
		return nil, ErrQuestionIDTaken
	}
	if _, ok := s.Dialogue.Suppliers[supplier]; !ok {
		return nil, ErrNotRegistered
	}
	var stage Stage
	switch {
	case s.Phase == PhaseMarketDialogue:
		stage = StageDialogue
	case s.Phase == PhaseTendering && c.At.Before(s.questionCutoff()):
		stage = StageTender
	default:
		return nil, ErrQuestionsClosed
	}
	return []Event{QuestionReceived{QuestionID: c.QuestionID, Supplier: supplier, Text: text, Stage: stage, ReceivedAt: c.At.UTC(), RecordedBy: c.By.Org}}, nil
}

// questionCutoff is the question cut-off of the timetable, moved with the
// deadline when an amendment extended it.
func (s State) questionCutoff() time.Time {
	t := s.Design.Timetable
	if t == nil || s.Tendering.Notice == nil {
		return time.Time{}
	}
	planned := t.Timetable.TenderDeadline
	if s.Tendering.Round == RoundRequests {
		planned = t.Timetable.RequestDeadline
	}
	return t.Timetable.QACutoff.Add(s.Tendering.Deadline.Sub(planned))
}

func answerQuestion(s State, c AnswerQuestion) ([]Event, error) {
	anon, answer := strings.TrimSpace(c.AnonymisedQuestion), strings.TrimSpace(c.Answer)
	if !textOK(anon, maxText) || !textOK(answer, maxText) {
		return nil, ErrAnswerRequired
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	q, ok := s.Dialogue.Questions[c.QuestionID]
	if !ok {
		return nil, ErrQuestionNotFound
	}
	if q.Answer != nil {
		if q.Answer.AnonymisedQuestion == anon && q.Answer.Answer == answer {
			return nil, nil
		}
		return nil, ErrAlreadyAnswered
	}
	if s.Phase != PhaseMarketDialogue && s.Phase != PhaseTendering {
		return nil, ErrQuestionsClosed.With("answers are published during the market dialogue or the tendering; the case is in %s", s.Phase)
	}
	if s.Phase == PhaseTendering {
		if _, err := s.mandatesFor(ScopeAnswerQuestions, c.At); err != nil {
			return nil, err
		}
	}
	if strings.Contains(strings.ToLower(anon), strings.ToLower(q.Supplier)) {
		return nil, ErrQuestionNotAnonymised
	}
	return []Event{AnswerPublished{QuestionID: c.QuestionID, AnonymisedQuestion: anon, Answer: answer, PublishedAt: c.At.UTC(), RecipientCount: len(s.supplierRecipients())}}, nil
}

// supplierRecipients are the registered suppliers and every supplier with a
// submission: whoever must receive what one supplier receives.
func (s State) supplierRecipients() []string {
	out := s.registeredSuppliers()
	for _, b := range s.Tendering.Bids {
		out = append(out, b.Supplier)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func closeMarketDialogue(s State, c CloseMarketDialogue) ([]Event, error) {
	hash := strings.ToLower(strings.TrimSpace(c.SummaryReportHash))
	var measures []string
	for _, m := range c.LevellingMeasures {
		m = strings.TrimSpace(m)
		if !textOK(m, maxReason) {
			return nil, ErrLevellingRequired
		}
		measures = append(measures, m)
	}
	switch {
	case !sha256Hex.MatchString(hash):
		return nil, ErrInvalidReportHash
	case len(measures) == 0 || len(measures) > 100:
		return nil, ErrLevellingRequired
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if closed := s.Dialogue.Closed; closed != nil && closed.SummaryReportHash == hash && slices.Equal(closed.LevellingMeasures, measures) {
		return nil, nil
	}
	if s.Phase != PhaseMarketDialogue {
		return nil, ErrNotDialoguePhase.With("the case is in %s", s.Phase)
	}
	if open := s.unansweredQuestions(""); len(open) > 0 {
		return nil, ErrUnansweredQuestions.With("unanswered: %s", strings.Join(open, ", "))
	}
	var unminuted []string
	for _, id := range slices.Sorted(mapKeys(s.Dialogue.Events)) {
		if e := s.Dialogue.Events[id]; !e.Cancelled && e.Minutes == nil {
			unminuted = append(unminuted, id)
		}
	}
	if len(unminuted) > 0 {
		return nil, ErrMinutesMissing.With("not minuted: %s", strings.Join(unminuted, ", "))
	}
	return []Event{MarketDialogueClosed{SummaryReportHash: hash, LevellingMeasures: measures, ClosedAt: c.At.UTC()}}, nil
}

// unansweredQuestions lists the IDs of questions without an answer, of one
// stage or of every stage ("").
func (s State) unansweredQuestions(stage Stage) []string {
	var out []string
	for _, id := range slices.Sorted(mapKeys(s.Dialogue.Questions)) {
		q := s.Dialogue.Questions[id]
		if q.Answer == nil && (stage == "" || q.Stage == stage) {
			out = append(out, id)
		}
	}
	return out
}

// leadOnly admits the designated lead in an open case; a member or the hub
// gets a rule error, anyone else does not learn the case exists.
func leadOnly(s State, c Command) error {
	if !leads(s, c) {
		if _, err := memberStatus(s, c.Actor().Org); err != nil {
			return err
		}
		return ErrLeadOnly
	}
	return ensureOpen(s)
}

// mandatesFor returns the lead's active mandates for act from every other
// joined member, or names the members whose mandate is missing.
func (s State) mandatesFor(act Scope, at time.Time) ([]string, error) {
	var ids, missing []string
	for _, org := range s.joinedMembers() {
		if org == s.Lead {
			continue
		}
		id, ok := s.MandateCovers(org, s.Lead, act, at)
		if !ok {
			missing = append(missing, org)
			continue
		}
		ids = append(ids, id)
	}
	if len(missing) > 0 {
		return nil, ErrMandateMissing.With("no active %s mandate from %s", act, strings.Join(missing, ", "))
	}
	return ids, nil
}
