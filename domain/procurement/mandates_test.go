package procurement_test

import (
	"testing"
	"time"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

func grantMandate(from, to string, scope ...string) procurement.GrantMandate {
	return procurement.GrantMandate{MandateID: "m-" + from, To: to, Scope: scope, ValidUntil: "2025-12-31", By: by(from), At: day(12)}
}

var mandateCase = []procurement.Event{created(), invited("oslo"), invited("bergen"), invited("tromso"), joined("oslo"), joined("bergen")}

func granted(from, to string, scope ...procurement.Scope) procurement.Event {
	return procurement.MandateGranted{MandateID: "m-" + from, From: from, To: to, Scope: scope, ValidUntil: "2025-12-31"}
}

func TestGrantMandate(t *testing.T) {
	t.Run("a_member_authorises_the_lead_with_a_scope_kept_in_procurement_order", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(mandateCase...).
			When(grantMandate("bergen", "oslo", "publish", "prepare", "publish")).
			Then(granted("bergen", "oslo", procurement.ScopePrepare, procurement.ScopePublish))
	})
	t.Run("the_same_mandate_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(mandateCase, granted("bergen", "oslo", procurement.ScopePrepare))...).
			When(grantMandate("bergen", "oslo", "prepare")).ThenNothing()
	})
	t.Run("a_mandate_id_is_not_reused_for_another_mandate", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(mandateCase, granted("bergen", "oslo", procurement.ScopePrepare))...).
			When(grantMandate("bergen", "oslo", "prepare", "publish")).ThenError(procurement.ErrMandateIDTaken)
	})
	for name, c := range map[string]struct {
		cmd  procurement.GrantMandate
		want error
	}{
		"a_scope_outside_the_list":      {grantMandate("bergen", "oslo", "everything"), procurement.ErrUnknownMandateScope},
		"no_scope":                      {grantMandate("bergen", "oslo"), procurement.ErrMandateScopeRequired},
		"to_itself":                     {grantMandate("bergen", "bergen", "prepare"), procurement.ErrMandateToSelf},
		"to_an_organisation_not_joined": {grantMandate("bergen", "tromso", "prepare"), procurement.ErrMandateToNonMember},
		"by_an_organisation_not_joined": {grantMandate("tromso", "oslo", "prepare"), procurement.ErrNotMember},
		"by_a_stranger":                 {grantMandate("acme", "oslo", "prepare"), procurement.ErrNotFound},
		"with_a_bad_id": {func() procurement.GrantMandate {
			g := grantMandate("bergen", "oslo", "prepare")
			g.MandateID = "a b"
			return g
		}(), procurement.ErrInvalidMandateID},
		"with_a_bad_date": {func() procurement.GrantMandate {
			g := grantMandate("bergen", "oslo", "prepare")
			g.ValidUntil = "31.12.2025"
			return g
		}(), procurement.ErrInvalidValidUntil},
		"that_has_already_ended": {func() procurement.GrantMandate {
			g := grantMandate("bergen", "oslo", "prepare")
			g.ValidUntil = "2025-01-01"
			return g
		}(), procurement.ErrMandateExpired},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(mandateCase...).When(c.cmd).ThenError(c.want)
		})
	}
}

func TestRevokeMandate(t *testing.T) {
	withMandate := append(mandateCase, granted("bergen", "oslo", procurement.ScopePrepare))
	revoke := func(org string) procurement.RevokeMandate {
		return procurement.RevokeMandate{MandateID: "m-bergen", Reason: "another lead", By: by(org), At: day(14)}
	}
	t.Run("the_granting_member_revokes", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withMandate...).When(revoke("bergen")).
			Then(procurement.MandateRevoked{MandateID: "m-bergen", From: "bergen", Reason: "another lead"})
	})
	t.Run("revoking_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(append(withMandate, procurement.MandateRevoked{MandateID: "m-bergen", From: "bergen", Reason: "x"})...).
			When(revoke("bergen")).ThenNothing()
	})
	t.Run("a_member_cannot_revoke_another_members_mandate", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withMandate...).When(revoke("oslo")).ThenError(procurement.ErrMandateNotFound)
	})
	t.Run("a_reason_is_required", func(t *testing.T) {
		r := revoke("bergen")
		r.Reason = ""
		estest.For(t, procurement.Decider).Given(withMandate...).When(r).ThenError(procurement.ErrReasonRequired)
	})
}

func TestMandateCovers(t *testing.T) {
	s := procurement.Decider.Fold(append(mandateCase, granted("bergen", "oslo", procurement.ScopePrepare, procurement.ScopePublish)))
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if id, ok := s.MandateCovers("bergen", "oslo", procurement.ScopePublish, at); !ok || id != "m-bergen" {
		t.Fatalf("an active mandate covering publish: %q %v", id, ok)
	}
	if _, ok := s.MandateCovers("bergen", "oslo", procurement.ScopeDecideAward, at); ok {
		t.Fatal("a scope the mandate does not name is not covered")
	}
	if _, ok := s.MandateCovers("oslo", "bergen", procurement.ScopePublish, at); ok {
		t.Fatal("a mandate works in one direction only")
	}
	if _, ok := s.MandateCovers("bergen", "oslo", procurement.ScopePublish, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); ok {
		t.Fatal("a mandate is not in force after its last day")
	}
	if _, ok := s.MandateCovers("bergen", "oslo", procurement.ScopePublish, time.Date(2025, 12, 31, 23, 59, 0, 0, time.UTC)); !ok {
		t.Fatal("a mandate is in force through its last day")
	}
	revoked := procurement.Decider.Evolve(s, procurement.MandateRevoked{MandateID: "m-bergen", From: "bergen", Reason: "x"})
	if _, ok := revoked.MandateCovers("bergen", "oslo", procurement.ScopePublish, at); ok {
		t.Fatal("a revoked mandate covers nothing")
	}
}
