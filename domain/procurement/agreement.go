package procurement

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// The cooperation agreement (samarbeidsavtale, DOMAIN.md §1 P1 and §3): the
// hub or the lead drafts it and amends it in numbered versions; every joined
// member signs the current version, and an amendment resets every signature,
// because a member has only agreed to the text it signed.

// DecisionRule is how the members decide one kind of question (the three the
// EU joint-procurement model requires the agreement to settle: procedure,
// approval, award).
type DecisionRule string

const (
	// RuleUnanimous: every joined member must approve; one rejection rejects.
	RuleUnanimous DecisionRule = "UNANIMOUS"
	// RuleMajority: more than half of the joined members must approve.
	RuleMajority DecisionRule = "MAJORITY"
	// RuleLeadDecides: the lead decides alone under its mandates.
	RuleLeadDecides DecisionRule = "LEAD_DECIDES"
	// RuleEachMember: each member decides for itself (award only: PER_MEMBER award mode).
	RuleEachMember DecisionRule = "EACH_MEMBER"
)

// DecisionRules are the agreement's rules for the three kinds of decisions.
type DecisionRules struct {
	Procedure DecisionRule `json:"procedure"`
	Approval  DecisionRule `json:"approval"`
	Award     DecisionRule `json:"award"`
}

// SigningModel is who signs the contract with the supplier (DOMAIN.md §4.3).
type SigningModel string

const (
	SigningLeadSignsAll SigningModel = "LEAD_SIGNS_ALL"
	SigningEachSigns    SigningModel = "EACH_SIGNS"
	SigningMulti        SigningModel = "MULTI"
)

// AgreementTerms are the content of one version of the agreement; the full
// text is a document outside the log, bound by its SHA-256.
type AgreementTerms struct {
	DocumentHash    string        `json:"documentHash"`
	DecisionRules   DecisionRules `json:"decisionRules"`
	SigningModel    SigningModel  `json:"signingModel"`
	LiabilityTerms  string        `json:"liabilityTerms"`
	WithdrawalTerms string        `json:"withdrawalTerms"`
}

// Agreement is the agreement as the case knows it.
type Agreement struct {
	Version int
	Terms   AgreementTerms
	// Signed maps each member to the version it last signed; a member has
	// signed the agreement only when that is the current version.
	Signed map[string]int
}

// SignedCurrent says whether org has signed the current version.
func (a Agreement) SignedCurrent(org string) bool {
	return a.Version > 0 && a.Signed[org] == a.Version
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

const maxTerms = 20000

func normaliseTerms(t AgreementTerms) (AgreementTerms, error) {
	t.DocumentHash = strings.ToLower(strings.TrimSpace(t.DocumentHash))
	t.LiabilityTerms = strings.TrimSpace(t.LiabilityTerms)
	t.WithdrawalTerms = strings.TrimSpace(t.WithdrawalTerms)
	rules := t.DecisionRules
	switch {
	case !sha256Hex.MatchString(t.DocumentHash):
		return t, ErrInvalidDocumentHash
	case !jointRule(rules.Procedure):
		return t, ErrInvalidDecisionRule.With("procedure: %q", rules.Procedure)
	case !jointRule(rules.Approval):
		return t, ErrInvalidDecisionRule.With("approval: %q", rules.Approval)
	case !jointRule(rules.Award) && rules.Award != RuleEachMember:
		return t, ErrInvalidDecisionRule.With("award: %q", rules.Award)
	case t.SigningModel != SigningLeadSignsAll && t.SigningModel != SigningEachSigns && t.SigningModel != SigningMulti:
		return t, ErrInvalidSigningModel.With("%q", t.SigningModel)
	case t.LiabilityTerms == "" || utf8.RuneCountInString(t.LiabilityTerms) > maxTerms:
		return t, ErrLiabilityTermsRequired
	case t.WithdrawalTerms == "" || utf8.RuneCountInString(t.WithdrawalTerms) > maxTerms:
		return t, ErrWithdrawalTermsRequired
	}
	return t, nil
}

func jointRule(r DecisionRule) bool {
	return r == RuleUnanimous || r == RuleMajority || r == RuleLeadDecides
}

// leads says whether the actor acts as the designated lead.
func leads(s State, c Command) bool { return s.Lead != "" && c.Actor().Org == s.Lead }

// agreementPhase checks that the case is open and past recruitment, and not
// past the contract notice: the agreement governs the preparation.
func agreementPhase(s State) error {
	if err := ensureOpen(s); err != nil {
		return err
	}
	if s.Phase == PhaseDraft || s.Phase == PhaseRecruiting {
		return ErrAgreementBeforeRecruitmentClosed
	}
	if !s.Phase.BeforeNotice() {
		return ErrAgreementAfterNotice
	}
	return nil
}

// hubOrLead admits the hub and the designated lead; a member gets a rule
// error, anyone else does not learn the case exists.
func hubOrLead(s State, c Command) error {
	if coordinates(s, c) || leads(s, c) {
		return nil
	}
	if _, err := memberStatus(s, c.Actor().Org); err != nil {
		return err
	}
	return ErrHubOrLeadOnly
}

func draftAgreement(s State, c DraftCooperationAgreement) ([]Event, error) {
	terms, err := normaliseTerms(c.Terms)
	if err != nil {
		return nil, err
	}
	if err := hubOrLead(s, c); err != nil {
		return nil, err
	}
	if err := agreementPhase(s); err != nil {
		return nil, err
	}
	if s.Agreement.Version > 0 {
		if s.Agreement.Version == 1 && s.Agreement.Terms == terms {
			return nil, nil
		}
		return nil, ErrAgreementAlreadyDrafted
	}
	return []Event{CooperationAgreementDrafted{Version: 1, Terms: terms}}, nil
}

func amendAgreement(s State, c AmendCooperationAgreement) ([]Event, error) {
	terms, err := normaliseTerms(c.Terms)
	if err != nil {
		return nil, err
	}
	if err := hubOrLead(s, c); err != nil {
		return nil, err
	}
	if err := agreementPhase(s); err != nil {
		return nil, err
	}
	switch {
	case s.Agreement.Version == 0:
		return nil, ErrNoAgreement
	case c.FromVersion == s.Agreement.Version-1 && s.Agreement.Terms == terms:
		return nil, nil // this amendment is already in: a repeat
	case c.FromVersion != s.Agreement.Version:
		return nil, ErrAgreementVersionOutdated.With("you amend version %d, the current version is %d", c.FromVersion, s.Agreement.Version)
	case s.Agreement.Terms == terms:
		return nil, ErrAmendmentChangesNothing
	}
	return []Event{CooperationAgreementAmended{Version: s.Agreement.Version + 1, Terms: terms}}, nil
}

var signatureRefPattern = regexp.MustCompile(`^[\x21-\x7e]{1,200}$`)

func signAgreement(s State, c SignCooperationAgreement) ([]Event, error) {
	hash := strings.ToLower(strings.TrimSpace(c.DocumentHash))
	switch {
	case c.Version < 1:
		return nil, ErrInvalidAgreementVersion
	case !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash
	case !signatureRefPattern.MatchString(c.SignatureRef):
		return nil, ErrSignatureRefRequired
	}
	org := c.By.Org
	st, err := memberStatus(s, org)
	if err != nil {
		return nil, err
	}
	if st != MemberJoined {
		return nil, ErrNotMember
	}
	if err := agreementPhase(s); err != nil {
		return nil, err
	}
	switch {
	case s.Agreement.Version == 0:
		return nil, ErrNoAgreement
	case c.Version != s.Agreement.Version:
		return nil, ErrAgreementVersionOutdated.With("you sign version %d, the current version is %d", c.Version, s.Agreement.Version)
	case hash != s.Agreement.Terms.DocumentHash:
		return nil, ErrAgreementHashMismatch
	case s.Agreement.SignedCurrent(org):
		return nil, nil
	}
	return []Event{CooperationAgreementSigned{Org: org, Version: c.Version, DocumentHash: hash, Signatory: c.By.User, SignatureRef: c.SignatureRef}}, nil
}

// The lead (ledende oppdragsgiver) is a joined member designated by the hub
// with the consent of every joined member, the lead included.

func consentToLead(s State, c ConsentToLead) ([]Event, error) {
	org := c.By.Org
	st, err := memberStatus(s, org)
	if err != nil {
		return nil, err
	}
	if st != MemberJoined {
		return nil, ErrNotMember
	}
	if err := agreementPhase(s); err != nil {
		return nil, err
	}
	if s.Members[c.Lead] != MemberJoined {
		return nil, ErrLeadNotMember.With("%q", c.Lead)
	}
	if s.LeadConsents[org] == c.Lead {
		return nil, nil
	}
	return []Event{LeadConsentGiven{Org: org, Lead: c.Lead}}, nil
}

func designateLead(s State, c DesignateLeadAuthority) ([]Event, error) {
	if !coordinates(s, c) {
		if _, err := memberStatus(s, c.Actor().Org); err != nil {
			return nil, err
		}
		return nil, ErrHubOnly
	}
	if err := agreementPhase(s); err != nil {
		return nil, err
	}
	if s.Members[c.Lead] != MemberJoined {
		return nil, ErrLeadNotMember.With("%q", c.Lead)
	}
	if s.Lead == c.Lead {
		return nil, nil
	}
	var consenting, missing []string
	for _, m := range s.MembersSorted() {
		if m.Status != MemberJoined {
			continue
		}
		if s.LeadConsents[m.Org] == c.Lead {
			consenting = append(consenting, m.Org)
		} else {
			missing = append(missing, m.Org)
		}
	}
	if len(missing) > 0 {
		return nil, ErrLeadConsentMissing.With("no consent from %s", strings.Join(missing, ", "))
	}
	return []Event{LeadAuthorityDesignated{Lead: c.Lead, ConsentFrom: consenting}}, nil
}
