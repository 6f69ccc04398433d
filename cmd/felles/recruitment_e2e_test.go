package main

import (
	"fmt"
	"testing"
)

const (
	openRec    = `mutation($id: ID!) { openRecruitment(input: {procurementId: $id}) { procurement { phase } revision } }`
	closeRecM  = `mutation($id: ID!) { closeRecruitment(input: {procurementId: $id}) { procurement { phase memberCounts { joined } } revision } }`
	anchorM    = `mutation($id: ID!, $body: String!, $date: String!, $ref: String!) { recordAnchoringDecision(input: {procurementId: $id, decidingBody: $body, decisionDate: $date, caseRef: $ref}) { procurement { members { organisation { id } anchoring { decidingBody decisionDate caseRef } } } revision } }`
	readAnchor = `query($id: ID!) { procurement(id: $id) { phase members { organisation { id } status anchoring { caseRef } } } }`
)

func TestRecruitmentThroughGraphQL(t *testing.T) {
	f := startFelles(t)
	hub := f.token("hub-coordinator", "hub")
	admins := map[string]string{}
	for _, org := range []string{"oslo", "bergen", "trondheim", "stavanger"} {
		admins[org] = f.token(org+"-admin", org)
	}
	id := f.ok(hub, createCase, map[string]any{"title": "Felles plattform for hjemmetjenester", "j": "NO"}).get("createProcurement.procurement.id").(string)
	vars := map[string]any{"id": id}

	f.rejected("RULE_VIOLATION", "procurement.no_invitations", hub, openRec, vars)
	for _, org := range []string{"oslo", "bergen", "trondheim"} {
		f.ok(hub, invite, map[string]any{"id": id, "org": org})
	}
	f.rejected("FORBIDDEN", "", admins["oslo"], openRec, vars)
	if r := f.ok(hub, openRec, vars); r.get("openRecruitment.procurement.phase") != "RECRUITING" {
		t.Fatalf("open: %+v", r.Data)
	}
	f.rejected("RULE_VIOLATION", "procurement.recruitment_not_open", hub, closeRecM, map[string]any{"id": f.ok(hub, createCase, map[string]any{"title": "x", "j": "NO"}).get("createProcurement.procurement.id")})
	f.ok(admins["oslo"], accept, vars)
	f.rejected("RULE_VIOLATION", "procurement.not_joint", hub, closeRecM, vars)
	f.ok(admins["bergen"], accept, vars)
	f.rejected("RULE_VIOLATION", "procurement.invitations_outstanding", hub, closeRecM, vars)
	f.ok(admins["trondheim"], decline, map[string]any{"id": id, "reason": "egen avtale"})
	closed := f.ok(hub, closeRecM, vars)
	if closed.get("closeRecruitment.procurement.phase") != "AGREEMENT" || closed.get("closeRecruitment.procurement.memberCounts.joined") != float64(2) {
		t.Fatalf("close: %+v", closed.Data)
	}
	f.rejected("RULE_VIOLATION", "procurement.closed_for_participants", hub, invite, map[string]any{"id": id, "org": "stavanger"})

	anchor := map[string]any{"id": id, "body": "bystyret", "date": "2026-01-15", "ref": "26/0042"}
	r := f.ok(admins["bergen"], anchorM, anchor)
	found := false
	for _, m := range r.get("recordAnchoringDecision.procurement.members").([]any) {
		mm := m.(map[string]any)
		if mm["organisation"].(map[string]any)["id"] == "bergen" {
			found = mm["anchoring"].(map[string]any)["caseRef"] == "26/0042"
		}
	}
	if !found {
		t.Fatalf("bergen's anchoring must show in the response: %+v", r.Data)
	}
	f.rejected("RULE_VIOLATION", "procurement.not_member", admins["trondheim"], anchorM, anchor)
	f.rejected("NOT_FOUND", "procurement.not_found", admins["stavanger"], anchorM, anchor)
	future := map[string]any{"id": id, "body": "bystyret", "date": "2999-01-01", "ref": "x"}
	f.rejected("RULE_VIOLATION", "procurement.decision_in_future", admins["oslo"], anchorM, future)
	bad := map[string]any{"id": id, "body": "bystyret", "date": "15.01.2026", "ref": "x"}
	f.rejected("BAD_USER_INPUT", "procurement.invalid_decision_date", admins["oslo"], anchorM, bad)

	seen := f.ok(admins["oslo"], readAnchor, vars)
	if seen.get("procurement.phase") != "AGREEMENT" {
		t.Fatalf("read: %+v", seen.Data)
	}

	// Mandates: bergen's admin makes kari its signatory; kari authorises oslo.
	f.ok(admins["bergen"], `mutation { grantRole(input: {organisationId: "bergen", user: "kari", role: "budget-holder"}) { revision } }`, nil)
	kari := f.token("kari", "bergen")
	grantM := `mutation($id: ID!, $m: ID!, $to: ID!, $scope: [String!]!, $until: String!) {
		grantMandate(input: {procurementId: $id, mandateId: $m, to: $to, scope: $scope, validUntil: $until}) {
			procurement { mandates { id from { id } to { id } scope validUntil revokedAt } } revision } }`
	mv := map[string]any{"id": id, "m": "fullmakt-1", "to": "oslo", "scope": []string{"publish", "prepare"}, "until": "2030-12-31"}
	f.rejected("FORBIDDEN", "", admins["bergen"], grantM, mv)
	g := f.ok(kari, grantM, mv)
	ms := g.get("grantMandate.procurement.mandates").([]any)
	if len(ms) != 1 || fmt.Sprint(ms[0].(map[string]any)["scope"]) != "[prepare publish]" || ms[0].(map[string]any)["to"].(map[string]any)["id"] != "oslo" {
		t.Fatalf("mandate: %+v", g.Data)
	}
	badScope := map[string]any{"id": id, "m": "fullmakt-2", "to": "oslo", "scope": []string{"everything"}, "until": "2030-12-31"}
	f.rejected("BAD_USER_INPUT", "procurement.unknown_mandate_scope", kari, grantM, badScope)
	self := map[string]any{"id": id, "m": "fullmakt-3", "to": "bergen", "scope": []string{"prepare"}, "until": "2030-12-31"}
	f.rejected("RULE_VIOLATION", "procurement.mandate_to_self", kari, grantM, self)
	rv := f.ok(kari, `mutation($id: ID!) { revokeMandate(input: {procurementId: $id, mandateId: "fullmakt-1", reason: "ny leder"}) { procurement { mandates { revokedAt } } } }`, vars)
	if rv.get("revokeMandate.procurement.mandates").([]any)[0].(map[string]any)["revokedAt"] == nil {
		t.Fatalf("revoked mandate must show when: %+v", rv.Data)
	}
}
