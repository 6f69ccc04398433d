package procurement

import (
	"slices"
	"strings"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// Contracting (DOMAIN.md §1 P9, §2 transition 20, §4.3, §4.4): once the
// standstill is over and nothing suspends it, the contract of each award is
// signed under the agreement's signing model. LEAD_SIGNS_ALL: the lead signs
// for itself and every buyer whose signContract mandate it holds (a buyer
// without one signs itself); MULTI: one contract signed by every buyer;
// EACH_SIGNS: every buyer signs its own contract. The first signature fixes the
// terms, every later one signs the same terms, and the last one makes the
// contract signed. Then the members call off, and the award notice goes out.

// contractBuyers are the members a new contract on award a binds when org signs first.
func (s State) contractBuyers(a AwardDecided, org string) []string {
	if s.Agreement.Terms.SigningModel == SigningEachSigns {
		return []string{org}
	}
	var out []string
	for _, m := range a.For {
		if s.Members[m] == MemberJoined {
			out = append(out, m)
		}
	}
	return out
}

// uncontracted names the (award, buyer) pairs without a signed contract.
func (s State) uncontracted() []string {
	var out []string
	for _, a := range s.ActiveAwards() {
		for _, m := range a.For {
			if s.Members[m] != MemberJoined {
				continue
			}
			covered := false
			for _, k := range s.Contracting.Contracts {
				if k.AwardID == a.AwardID && k.Signed != nil && slices.Contains(k.Buyers, m) {
					covered = true
				}
			}
			if !covered {
				out = append(out, a.AwardID+" for "+m)
			}
		}
	}
	return out
}

func checkTerms(t ContractTerms) (ContractTerms, error) {
	v, err := ParseMoney(t.Value)
	if err != nil || v <= 0 {
		return t, ErrInvalidAmount.With("the contract value")
	}
	start, e1 := time.Parse(time.DateOnly, t.StartDate)
	end, e2 := time.Parse(time.DateOnly, t.EndDate)
	if e1 != nil || e2 != nil || end.Before(start) {
		return t, ErrInvalidPeriod.With("the contract period")
	}
	t.Value = FormatMoney(v)
	return t, nil
}

// contractingOpen checks signing is allowed now: not during the standstill,
// not while suspended.
func (s State) contractingOpen() error {
	switch s.Phase {
	case PhaseContracting:
		if s.suspensionHeld() {
			return ErrContractingSuspended
		}
		return nil
	case PhaseStandstill:
		return ErrStandstillRunning.With("the standstill ends %s; sign from then", s.Award.Standstill.EndsAt.Format(time.RFC3339))
	case PhaseAwardDecided:
		return ErrStandstillRunning.With("the award notification has not been sent")
	case PhaseSuspended:
		return ErrContractingSuspended
	}
	return ErrNotContractingPhase.With("the case is in %s", s.Phase)
}

func signContract(s State, c SignContract) ([]Event, error) {
	ref := strings.TrimSpace(c.SignatureRef)
	terms, err := checkTerms(c.Terms)
	switch {
	case err != nil:
		return nil, err
	case !idPattern.MatchString(c.ContractID):
		return nil, ErrInvalidContractID
	case !textOK(ref, maxTitle):
		return nil, ErrSignatureRequired
	}
	org := c.By.Org
	if _, err := memberStatus(s, org); err != nil {
		return nil, err
	}
	a, ok := s.Award.Decisions[c.AwardID]
	if _, revoked := s.Award.Revoked[c.AwardID]; !ok || revoked {
		return nil, ErrAwardNotFound
	}
	model := s.Agreement.Terms.SigningModel
	k, exists := s.Contracting.Contracts[c.ContractID]
	if exists {
		party := slices.Contains(k.Buyers, org) || (model == SigningLeadSignsAll && org == s.Lead)
		switch {
		case k.AwardID != c.AwardID:
			return nil, ErrContractIDTaken
		case !party:
			return nil, ErrNotBuyer.With("%s is not a party to contract %s", org, k.ID)
		case k.Terms != terms:
			return nil, ErrTermsDiffer
		case k.Signed != nil:
			return nil, nil
		}
	}
	if err := s.contractingOpen(); err != nil {
		return nil, err
	}
	if !exists {
		k = Contract{ID: c.ContractID, AwardID: a.AwardID, Terms: terms, Buyers: s.contractBuyers(a, org)}
		for _, other := range s.Contracting.Contracts {
			if other.AwardID == a.AwardID && (model != SigningEachSigns || slices.Contains(other.Buyers, org)) {
				return nil, ErrAlreadyContracted.With("contract %s", other.ID)
			}
		}
		if model == SigningEachSigns && !slices.Contains(a.For, org) {
			return nil, ErrNotBuyer.With("%s is not bound by award %s", org, a.AwardID)
		}
	}
	var covers, mandates []string
	if slices.Contains(k.Buyers, org) {
		covers = append(covers, org)
	}
	if model == SigningLeadSignsAll && org == s.Lead {
		others := slices.DeleteFunc(slices.Clone(k.Buyers), func(m string) bool { return m == org })
		ids, missing := s.mandatesFrom(others, ScopeSignContract, c.At)
		mandates = ids
		for _, m := range others {
			if !slices.Contains(missing, m) {
				covers = append(covers, m)
			}
		}
	}
	if len(covers) == 0 {
		return nil, ErrNotBuyer.With("%s neither buys under award %s nor holds a signContract mandate for it", org, a.AwardID)
	}
	covers = slices.DeleteFunc(covers, func(m string) bool { _, signed := k.Signatures[m]; return signed })
	if len(covers) == 0 {
		return nil, nil
	}
	slices.Sort(covers)
	sig := ContractSignatureRecorded{ContractID: c.ContractID, AwardID: a.AwardID, Terms: terms, Org: org, For: covers,
		Signatory: c.By.User, Mandates: mandates, SignatureRef: ref, SignedAt: c.At.UTC()}
	out := []Event{sig}
	remaining := 0
	signatories := []string{c.By.User}
	for _, m := range k.Buyers {
		if x, ok := k.Signatures[m]; ok {
			signatories = append(signatories, x.Signatory)
		} else if !slices.Contains(covers, m) {
			remaining++
		}
	}
	if remaining == 0 {
		signed := ContractSigned{ContractID: c.ContractID, AwardID: a.AwardID, Lot: a.Lot, Supplier: a.Supplier, Buyers: k.Buyers,
			Signatories: slices.Compact(slices.Sorted(slices.Values(signatories))), Terms: terms, SignedAt: c.At.UTC()}
		signed.PhaseAfter = evolve(evolve(s, sig), signed).Phase
		out = append(out, signed)
	}
	return out, nil
}

// signedContract finds a signed contract not yet closed.
func (s State) signedContract(id string) (Contract, error) {
	k, ok := s.Contracting.Contracts[id]
	switch {
	case !ok || k.Signed == nil:
		return k, ErrContractNotFound
	case k.Closed != nil:
		return k, ErrContractClosed
	}
	return k, nil
}

func publishAwardNotice(s State, c PublishAwardNotice) ([]Event, error) {
	ext := strings.TrimSpace(c.ExternalNoticeID)
	switch {
	case !c.Channel.valid():
		return nil, ErrInvalidChannel
	case !textOK(ext, 100):
		return nil, ErrExternalNoticeIDRequired
	case c.Limits == nil:
		return nil, ErrTimeLimitsUnavailable
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if n := s.Contracting.AwardNotice; n != nil {
		if n.Channel == c.Channel && n.ExternalNoticeID == ext {
			return nil, nil
		}
		return nil, ErrAwardNoticePublished
	}
	var contracts []string
	var first time.Time
	for _, id := range slices.Sorted(mapKeys(s.Contracting.Contracts)) {
		if k := s.Contracting.Contracts[id]; k.Signed != nil {
			contracts = append(contracts, id)
			if first.IsZero() || k.Signed.SignedAt.Before(first) {
				first = k.Signed.SignedAt
			}
		}
	}
	if len(contracts) == 0 {
		return nil, ErrContractNotFound.With("the award notice follows a signed contract")
	}
	e := AwardNoticePublished{Channel: c.Channel, ExternalNoticeID: ext, Contracts: contracts, PublishedAt: c.At.UTC()}
	r, err := s.limitRule(c.Limits, timelimits.AwardNoticePublication)
	if err != nil {
		return nil, err
	}
	_, comp, err := timelimits.EarliestEnd(r, first)
	if err != nil {
		return nil, err
	}
	e.Limit = &comp
	return []Event{e}, nil
}

func placeCallOff(s State, c PlaceCallOff) ([]Event, error) {
	desc := strings.TrimSpace(c.Description)
	value, err := ParseMoney(c.Value)
	switch {
	case !idPattern.MatchString(c.CallOffID):
		return nil, ErrInvalidCallOffID
	case !textOK(desc, maxQuestion):
		return nil, ErrDescriptionRequired
	case err != nil || value <= 0:
		return nil, ErrInvalidAmount.With("the call-off value")
	}
	org := c.By.Org
	if _, err := memberStatus(s, org); err != nil {
		return nil, err
	}
	if prev, ok := s.Contracting.CallOffs[c.CallOffID]; ok {
		if prev.Org == org && prev.ContractID == c.ContractID && prev.Description == desc && prev.Value == FormatMoney(value) && prev.Competitive == c.Competitive {
			return nil, nil
		}
		return nil, ErrCallOffIDTaken
	}
	k, err := s.signedContract(c.ContractID)
	switch {
	case err != nil:
		return nil, err
	case !k.Terms.Framework:
		return nil, ErrNotFramework
	case !slices.Contains(k.Buyers, org):
		return nil, ErrNotBuyer.With("%s is not a buyer under contract %s", org, k.ID)
	}
	return []Event{CallOffPlaced{CallOffID: c.CallOffID, ContractID: k.ID, Org: org, Description: desc, Value: FormatMoney(value),
		Competitive: c.Competitive, PlacedAt: c.At.UTC()}}, nil
}
