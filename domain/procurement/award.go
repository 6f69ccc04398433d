package procurement

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// Award and standstill (DOMAIN.md §1 P8, §2 transitions 15–19, §4.1, §4.3,
// §4.4). The award of a lot goes to its best-ranked tender in the finalised
// report: decided once by the lead for every buyer of the lot under their
// decideAward mandates (JOINT), or by each buyer for itself (PER_MEMBER).
// Once every decision is taken the lead notifies every tenderer concerned at
// once, with reasons and the standstill end, which is computed here from the
// time-limit table (per jurisdiction, regime and channel, rolled forward over
// weekends and public holidays) and stored in the event. The workflow clock
// ends the standstill; a suspension holds it.

// lotBuyers are the joined members buying a lot.
func (s State) lotBuyers(lot string) []string {
	var out []string
	for _, l := range s.Design.Lots.Lots {
		if l.ID == lot {
			for _, m := range l.Members {
				if s.Members[m] == MemberJoined {
					out = append(out, m)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// mandatesFrom finds the lead's active mandates for act from each of orgs
// other than the lead itself, or names the members without one.
func (s State) mandatesFrom(orgs []string, act Scope, at time.Time) ([]string, []string) {
	var ids, missing []string
	for _, org := range orgs {
		if org == s.Lead {
			continue
		}
		if id, ok := s.MandateCovers(org, s.Lead, act, at); ok {
			ids = append(ids, id)
		} else {
			missing = append(missing, org)
		}
	}
	return ids, missing
}

// awardsOutstanding names the decisions still to take: one per lot with a
// ranked tender (JOINT), or one per lot and buyer (PER_MEMBER).
func (s State) awardsOutstanding() []string {
	if s.Evaluation.Report == nil {
		return []string{"the evaluation report"}
	}
	active := s.ActiveAwards()
	var out []string
	for _, r := range s.Evaluation.Report.Lots {
		if len(r.Ranking) == 0 {
			continue
		}
		if s.AwardMode() == AwardJoint {
			if !slices.ContainsFunc(active, func(a AwardDecided) bool { return a.Lot == r.Lot }) {
				out = append(out, "lot "+r.Lot)
			}
			continue
		}
		for _, m := range s.lotBuyers(r.Lot) {
			if !slices.ContainsFunc(active, func(a AwardDecided) bool { return a.Lot == r.Lot && slices.Contains(a.For, m) }) {
				out = append(out, "lot "+r.Lot+" for "+m)
			}
		}
	}
	return out
}

// awarded says whether an active award names the tender.
func (s State) awarded(bid string) bool {
	return slices.ContainsFunc(s.ActiveAwards(), func(a AwardDecided) bool { return a.BidID == bid })
}

func decideAward(s State, c DecideAward) ([]Event, error) {
	hash := strings.ToLower(strings.TrimSpace(c.DecisionDocHash))
	value, moneyErr := ParseMoney(c.Value)
	switch {
	case !idPattern.MatchString(c.AwardID):
		return nil, ErrInvalidAwardID
	case !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash.With("the award decision")
	case moneyErr != nil || value <= 0:
		return nil, ErrInvalidAmount.With("the award value")
	}
	org := c.By.Org
	if _, err := memberStatus(s, org); err != nil {
		return nil, err
	}
	if prev, ok := s.Award.Decisions[c.AwardID]; ok {
		if _, revoked := s.Award.Revoked[c.AwardID]; revoked {
			return nil, ErrAwardIDTaken.With("award %s was revoked; decide under a new ID", c.AwardID)
		}
		if prev.Lot == c.Lot && prev.BidID == c.BidID && prev.DecidedBy == org && prev.DecisionDocHash == hash && prev.Value == FormatMoney(value) {
			return nil, nil
		}
		return nil, ErrAwardIDTaken
	}
	if s.Phase == PhaseAwardDecided || s.Phase == PhaseStandstill || s.Phase == PhaseSuspended || s.Phase == PhaseContracting {
		return nil, ErrAlreadyDecided.With("the case is in %s", s.Phase)
	}
	if err := evaluationPhase(s); err != nil {
		return nil, err
	}
	ranking, ok := s.rankingOf(c.Lot)
	switch {
	case s.Evaluation.Report == nil:
		return nil, ErrReportNotFinalized
	case !ok:
		return nil, ErrUnknownLot.With("%q", c.Lot)
	case len(ranking.Ranking) == 0:
		return nil, ErrNoValidTenders.With("lot %s", c.Lot)
	case ranking.Ranking[0].BidID != c.BidID:
		return nil, ErrNotBestTender.With("the best-ranked tender of lot %s is %s", c.Lot, ranking.Ranking[0].BidID)
	}
	e := AwardDecided{AwardID: c.AwardID, Lot: c.Lot, BidID: c.BidID, Supplier: ranking.Ranking[0].Supplier, Value: FormatMoney(value),
		Mode: s.AwardMode(), DecidedBy: org, DecisionDocHash: hash, DecidedAt: c.At.UTC()}
	buyers := s.lotBuyers(c.Lot)
	active := s.ActiveAwards()
	if e.Mode == AwardJoint {
		if org != s.Lead {
			return nil, ErrLeadOnly.With("the agreement's award rule is a joint decision by the lead")
		}
		if slices.ContainsFunc(active, func(a AwardDecided) bool { return a.Lot == c.Lot }) {
			return nil, ErrAlreadyDecided.With("lot %s", c.Lot)
		}
		ids, missing := s.mandatesFrom(buyers, ScopeDecideAward, c.At)
		if len(missing) > 0 {
			return nil, ErrMandateMissing.With("no active decideAward mandate from %s", strings.Join(missing, ", "))
		}
		e.For, e.Mandates = buyers, ids
		e.PhaseAfter = evolve(s, e).Phase
		return []Event{e}, nil
	}
	if !slices.Contains(buyers, org) {
		return nil, ErrNotBuyer.With("%s does not buy lot %s", org, c.Lot)
	}
	if slices.ContainsFunc(active, func(a AwardDecided) bool { return a.Lot == c.Lot && slices.Contains(a.For, org) }) {
		return nil, ErrAlreadyDecided.With("lot %s for %s", c.Lot, org)
	}
	e.For = []string{org}
	e.PhaseAfter = evolve(s, e).Phase
	return []Event{e}, nil
}

// concernedTenderers are the suppliers of every opened tender, rejected ones
// included: each is told the outcome and the reasons.
func (s State) concernedTenderers() []string {
	var out []string
	for _, b := range s.openedTenders() {
		out = append(out, b.Supplier)
	}
	return slices.Compact(slices.Sorted(slices.Values(out)))
}

func sendAwardNotification(s State, c SendAwardNotification) ([]Event, error) {
	hash := strings.ToLower(strings.TrimSpace(c.ReasonsHash))
	switch {
	case !c.Channel.valid():
		return nil, ErrInvalidNotificationChannel
	case !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash.With("the reasons")
	case c.Limits == nil:
		return nil, ErrTimeLimitsUnavailable
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if n := s.Award.Notification; n != nil && n.ReasonsHash == hash && n.Channel == c.Channel {
		return nil, nil
	}
	if s.Phase != PhaseAwardDecided {
		if s.Phase == PhaseEvaluation {
			return nil, ErrAwardsOutstanding.With("still to decide: %s", strings.Join(s.awardsOutstanding(), ", "))
		}
		return nil, ErrNotAwardPhase.With("the case is in %s", s.Phase)
	}
	end, comp, err := s.standstillEnd(c.Limits, c.Channel, c.At)
	if err != nil {
		return nil, err
	}
	var awards []string
	for _, a := range s.ActiveAwards() {
		awards = append(awards, a.AwardID)
	}
	sent := AwardNotificationSent{Recipients: s.concernedTenderers(), Awards: awards, ReasonsHash: hash, Channel: c.Channel, SentAt: c.At.UTC(), StandstillEnd: end.UTC()}
	started := StandstillStarted{EndsAt: end.UTC(), Computation: comp}
	started.PhaseAfter = evolve(evolve(s, sent), started).Phase
	return []Event{sent, started}, nil
}

// standstillEnd computes the standstill for a notification sent at `at`.
func (s State) standstillEnd(t *timelimits.Table, ch NotificationChannel, at time.Time) (time.Time, timelimits.Computation, error) {
	p := s.Design.Procedure
	r, err := t.Rule(timelimits.Jurisdiction(s.Jurisdiction), p.Regime, p.Procedure, timelimits.Standstill)
	if err != nil {
		return time.Time{}, timelimits.Computation{}, err
	}
	conds := slices.Clone(p.Conditions)
	if ch == NotificationElectronic {
		conds = append(conds, timelimits.ElectronicNotice)
	}
	return timelimits.EarliestEnd(r.With(conds...), at)
}

// Why explains the standstill end in words, from what was stored.
func (e StandstillStarted) Why() string {
	c := e.Computation
	if !c.HasLimit {
		return fmt.Sprintf("%s: no fixed standstill (%s); contracting may follow the notification", c.Name, c.Rule)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d calendar days counted from the day after the notification was sent on %s", c.Name, c.Days, c.SentDate)
	if c.Days != c.BaseDays {
		labels := make([]string, len(c.Reductions))
		for i, r := range c.Reductions {
			labels[i] = r.Label()
		}
		fmt.Fprintf(&b, " (%d days, shortened with %s)", c.BaseDays, strings.Join(labels, " and "))
	}
	fmt.Fprintf(&b, "; day %d is %s", c.Days, c.LastDay)
	for _, sk := range c.Skipped {
		fmt.Fprintf(&b, "; %s is not a working day (%s)", sk.Date, sk.Reason)
	}
	if len(c.Skipped) > 0 {
		fmt.Fprintf(&b, ", so it ends on the next working day %s", c.EndDate)
	}
	fmt.Fprintf(&b, "; the standstill ends at midnight at the end of %s %s, and the contract may be signed from then", c.EndDate, c.TimeZone)
	return b.String()
}

func endStandstill(s State, c EndStandstill) ([]Event, error) {
	if !c.By.IsPlatform() {
		return nil, ErrSystemOnly
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	switch s.Phase {
	case PhaseStandstill:
	case PhaseSuspended:
		return nil, ErrContractingSuspended
	default:
		return nil, nil // ended already, or nothing to end: the clock may tick twice
	}
	if s.suspensionHeld() {
		return nil, ErrContractingSuspended
	}
	if !c.At.After(s.Award.Standstill.EndsAt) {
		return nil, ErrStandstillRunning.With("it ends %s", s.Award.Standstill.EndsAt.Format(time.RFC3339))
	}
	return []Event{StandstillEnded{EndedAt: c.At.UTC()}}, nil
}

func revokeAward(s State, c RevokeAward) ([]Event, error) {
	reason, err := requiredReason(c.Reason)
	if err != nil {
		return nil, err
	}
	a, ok := s.Award.Decisions[c.AwardID]
	if !ok {
		if _, err := memberStatus(s, c.By.Org); err != nil {
			return nil, err
		}
		return nil, ErrAwardNotFound
	}
	if c.By.Org != a.DecidedBy {
		return nil, ErrAwardNotFound.With("only %s, which decided it, can revoke it", a.DecidedBy)
	}
	if _, revoked := s.Award.Revoked[c.AwardID]; revoked {
		return nil, nil
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	if s.contractFor(c.AwardID) {
		return nil, ErrContractSigned
	}
	return []Event{AwardRevoked{AwardID: c.AwardID, Reason: reason, RevokedAt: c.At.UTC()}}, nil
}

// contractFor says whether a signed contract rests on the award.
func (s State) contractFor(award string) bool {
	for _, k := range s.Contracting.Contracts {
		if k.AwardID == award && k.Signed != nil {
			return true
		}
	}
	return false
}
