package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"
)

// A five-member joint procurement driven through GraphQL from creation to the
// approved consolidated needs and committed volumes, every organisation acting
// with its own people's tokens (issue 4).

const (
	draftAgreementM = `mutation($id: ID!, $hash: String!, $approval: DecisionRule!) {
		draftCooperationAgreement(input: {procurementId: $id, terms: {documentHash: $hash,
			decisionRules: {procedure: UNANIMOUS, approval: $approval, award: LEAD_DECIDES}, signingModel: LEAD_SIGNS_ALL,
			liabilityTerms: "Solidarisk ansvar for felles gjennomførte deler", withdrawalTerms: "Påløpte kostnader etter nøkkelen"}}) {
			procurement { agreement { version notSignedBy { id } } } } }`
	amendAgreementM = `mutation($id: ID!, $from: Int!, $hash: String!) {
		amendCooperationAgreement(input: {procurementId: $id, fromVersion: $from, terms: {documentHash: $hash,
			decisionRules: {procedure: UNANIMOUS, approval: UNANIMOUS, award: LEAD_DECIDES}, signingModel: LEAD_SIGNS_ALL,
			liabilityTerms: "Solidarisk ansvar for felles gjennomførte deler", withdrawalTerms: "Påløpte kostnader etter nøkkelen"}}) {
			procurement { agreement { version signedBy { organisation { id } } notSignedBy { id } versions { version } } } } }`
	signM = `mutation($id: ID!, $v: Int!, $hash: String!, $ref: String!) {
		signCooperationAgreement(input: {procurementId: $id, version: $v, documentHash: $hash, signatureRef: $ref}) {
			procurement { phase agreement { version signedBy { organisation { id } signatory } notSignedBy { id } } } } }`
	consentM   = `mutation($id: ID!, $lead: ID!) { consentToLead(input: {procurementId: $id, lead: $lead}) { procurement { leadConsents { organisation { id } lead { id } } } } }`
	designateM = `mutation($id: ID!, $lead: ID!) { designateLeadAuthority(input: {procurementId: $id, lead: $lead}) { procurement { lead { id } phase } } }`
	grantToM   = `mutation($id: ID!, $m: ID!, $to: ID!, $scope: [String!]!) {
		grantMandate(input: {procurementId: $id, mandateId: $m, to: $to, scope: $scope, validUntil: "2099-12-31"}) { procurement { phase agreementGaps } } }`
	costKeyM = `mutation($id: ID!, $method: CostSharingMethod!, $w: CostWeightsInput, $pops: [PopulationInput!]) {
		setCostSharingKey(input: {procurementId: $id, method: $method, weights: $w, populations: $pops}) {
			procurement { phase agreementGaps costSharingKey { version method equalWeight populationWeight volumeWeight }
				costShares { reason shares { organisation { id } basisPoints percent } } } } }`
	draftNeedsM = `mutation($id: ID!, $needs: [NeedInput!]!, $notes: String) {
		saveNeedsDraft(input: {procurementId: $id, needs: $needs, notes: $notes}) { procurement { myNeedsDraft { version needs { id } notes } } } }`
	submitNeedsM = `mutation($id: ID!, $needs: [NeedInput!]!) {
		submitNeeds(input: {procurementId: $id, needs: $needs}) { procurement { needsSubmissions { organisation { id } version } } } }`
	consolidateM = `mutation($id: ID!, $common: [CommonNeedInput!]!, $div: [DivergenceInput!]) {
		consolidateNeeds(input: {procurementId: $id, commonNeeds: $common, divergences: $div}) {
			procurement { consolidatedNeeds { version outcome commonNeeds { id sources { organisation { id } needId } } divergences { topic organisations { id } } } } } }`
	approveM = `mutation($id: ID!, $v: Int!) { approveConsolidatedNeeds(input: {procurementId: $id, version: $v}) {
		procurement { consolidatedNeeds { version outcome votes { organisation { id } approve } } } } }`
	rejectM = `mutation($id: ID!, $v: Int!, $c: String) { rejectConsolidatedNeeds(input: {procurementId: $id, version: $v, comment: $c}) {
		procurement { consolidatedNeeds { version outcome } } } }`
	commitM = `mutation($id: ID!, $lot: ID!, $type: CommitmentType!, $q: String!, $value: String!, $cur: String!) {
		commitVolume(input: {procurementId: $id, lot: $lot, type: $type, quantity: $q, unit: "brukere", estimatedValue: $value, currency: $cur, budgetYears: [2027, 2028]}) {
			procurement { jointEstimatedValue { currency binding indicative option total perMember { organisation { id } value } }
				costShares { reason shares { organisation { id } basisPoints } } } } }`
	tasksQ   = `query($id: ID!) { procurement(id: $id) { tasks { kind version } } }`
	myTasksQ = `{ myTasks { procurement { id } kind version } }`
)

var fiveMembers = []string{"bergen", "kristiansand", "oslo", "stavanger", "trondheim"}

func TestFiveMembersFromCreationToApprovedNeedsAndCommittedVolumes(t *testing.T) {
	f := startFelles(t)
	hub := f.token("hub-coordinator", "hub")
	admin, needs, budget, signatory := map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}
	for _, org := range fiveMembers {
		admin[org] = f.token(org+"-admin", org)
		needs[org] = f.token(org+"-needs", org)
		budget[org] = f.token(org+"-budget", org)
		signatory[org] = f.token(org+"-signatory", org)
	}
	lead := f.token("oslo-lead", "oslo")

	// P0: creation, invitations, answers, anchoring, recruitment closed.
	id := f.ok(hub, createCase, map[string]any{"title": "Felles velferdsteknologi", "j": "NO"}).get("createProcurement.procurement.id").(string)
	vars := map[string]any{"id": id}
	for _, org := range fiveMembers {
		f.ok(hub, invite, map[string]any{"id": id, "org": org})
	}
	f.ok(hub, openRec, vars)
	if !hasTask(f.ok(admin["bergen"], tasksQ, vars), "ANSWER_INVITATION", 0) {
		t.Fatal("an invited member must see that it has an invitation to answer")
	}
	for _, org := range fiveMembers {
		f.ok(admin[org], accept, vars)
		f.ok(admin[org], anchorM, map[string]any{"id": id, "body": "kommunestyret", "date": "2026-01-15", "ref": "26/" + org})
	}
	f.ok(hub, closeRecM, vars)

	// P1: the agreement, amended once, signed by all five.
	f.rejected("FORBIDDEN", "", admin["oslo"], draftAgreementM, map[string]any{"id": id, "hash": hashOf("v1"), "approval": "UNANIMOUS"})
	f.rejected("BAD_USER_INPUT", "procurement.invalid_document_hash", hub, draftAgreementM, map[string]any{"id": id, "hash": "not-a-hash", "approval": "UNANIMOUS"})
	d := f.ok(hub, draftAgreementM, map[string]any{"id": id, "hash": hashOf("v1"), "approval": "MAJORITY"})
	if n := len(d.get("draftCooperationAgreement.procurement.agreement.notSignedBy").([]any)); n != 5 {
		t.Fatalf("all five must still sign: %+v", d.Data)
	}
	if !hasTask(f.ok(signatory["oslo"], tasksQ, vars), "SIGN_AGREEMENT", 1) {
		t.Fatal("oslo must be asked to sign version 1")
	}
	sign := func(org string, v int, hash string) gqlResult {
		return f.ok(signatory[org], signM, map[string]any{"id": id, "v": v, "hash": hash, "ref": "bankid:" + org + fmt.Sprint(v)})
	}
	sign("oslo", 1, hashOf("v1"))
	sign("bergen", 1, hashOf("v1"))
	// The hub amends: every signature resets.
	a := f.ok(hub, amendAgreementM, map[string]any{"id": id, "from": 1, "hash": hashOf("v2")})
	if a.get("amendCooperationAgreement.procurement.agreement.version") != float64(2) ||
		len(a.get("amendCooperationAgreement.procurement.agreement.signedBy").([]any)) != 0 ||
		len(a.get("amendCooperationAgreement.procurement.agreement.notSignedBy").([]any)) != 5 {
		t.Fatalf("an amendment resets every signature: %+v", a.Data)
	}
	f.rejected("RULE_VIOLATION", "procurement.agreement_version_outdated", signatory["trondheim"], signM,
		map[string]any{"id": id, "v": 1, "hash": hashOf("v1"), "ref": "bankid:x"})
	f.rejected("RULE_VIOLATION", "procurement.agreement_hash_mismatch", signatory["trondheim"], signM,
		map[string]any{"id": id, "v": 2, "hash": hashOf("v1"), "ref": "bankid:x"})
	// A member's person cannot act for another member: the token names the
	// organisation, and bergen's signatory holds no role in oslo.
	f.rejected("FORBIDDEN", "", f.token("bergen-signatory", "oslo"), signM, map[string]any{"id": id, "v": 2, "hash": hashOf("v2"), "ref": "bankid:x"})
	f.rejected("FORBIDDEN", "", needs["oslo"], signM, map[string]any{"id": id, "v": 2, "hash": hashOf("v2"), "ref": "bankid:x"})
	for _, org := range fiveMembers {
		sign(org, 2, hashOf("v2"))
	}

	// The lead, with every member's consent, and the mandates to it.
	f.rejected("RULE_VIOLATION", "procurement.lead_consent_missing", hub, designateM, map[string]any{"id": id, "lead": "oslo"})
	for _, org := range fiveMembers {
		f.ok(admin[org], consentM, map[string]any{"id": id, "lead": "oslo"})
	}
	f.ok(hub, designateM, map[string]any{"id": id, "lead": "oslo"})
	f.rejected("BAD_USER_INPUT", "procurement.unknown_mandate_scope", signatory["bergen"], grantToM,
		map[string]any{"id": id, "m": "bergen-til-oslo", "to": "oslo", "scope": []string{"prepare", "everything"}})
	for _, org := range fiveMembers {
		if org == "oslo" {
			continue
		}
		f.ok(signatory[org], grantToM, map[string]any{"id": id, "m": org + "-til-oslo", "to": "oslo", "scope": []string{"prepare", "publish", "answerQuestions"}})
	}
	gaps := f.ok(hub, `query($id: ID!) { procurement(id: $id) { phase agreementGaps } }`, vars)
	if gaps.get("procurement.phase") != "AGREEMENT" || fmt.Sprint(gaps.get("procurement.agreementGaps")) != "[no cost-sharing key is set]" {
		t.Fatalf("only the cost key should be missing: %+v", gaps.Data)
	}

	// The cost key: bad weights first, then a hybrid key that concludes the agreement.
	pops := []map[string]any{}
	for i, org := range fiveMembers {
		pops = append(pops, map[string]any{"organisationId": org, "population": 100000 * (i + 1), "source": "SSB tabell 07459", "refDate": "2025-01-01"})
	}
	f.rejected("BAD_USER_INPUT", "costshare.weights_not_one", hub, costKeyM,
		map[string]any{"id": id, "method": "HYBRID", "w": map[string]any{"equal": 0.2, "population": 0.5, "volume": 0.2}, "pops": pops})
	f.rejected("FORBIDDEN", "", lead, costKeyM, map[string]any{"id": id, "method": "EQUAL"})
	k := f.ok(hub, costKeyM, map[string]any{"id": id, "method": "HYBRID", "w": map[string]any{"equal": 0.2, "population": 0.5, "volume": 0.3}, "pops": pops})
	if k.get("setCostSharingKey.procurement.phase") != "NEEDS" {
		t.Fatalf("the key was the last condition: the case must be in NEEDS: %+v", k.Data)
	}
	if k.get("setCostSharingKey.procurement.costShares") != nil {
		t.Fatalf("a key with a volume part has no shares before anything is committed: %+v", k.Data)
	}

	// P2: private drafts, submissions, a rejected and an approved consolidation.
	f.rejected("FORBIDDEN", "", admin["bergen"], draftNeedsM, map[string]any{"id": id, "needs": []any{}})
	for _, org := range fiveMembers {
		f.ok(needs[org], draftNeedsM, map[string]any{"id": id, "notes": "utkast " + org, "needs": []map[string]any{{"id": org + "-1", "statement": "Tidlig utkast"}}})
		f.ok(needs[org], submitNeedsM, map[string]any{"id": id, "needs": []map[string]any{{
			"id": org + "-1", "statement": "Varsling ved fall hos hjemmeboende", "userGroup": "hjemmeboende eldre",
			"currentSolution": "trygghetsalarm", "successCriteria": "færre fallskader"}}})
	}
	subs := f.ok(needs["bergen"], `query($id: ID!) { procurement(id: $id) { needsSubmissions { organisation { id } } } }`, vars)
	if n := len(subs.get("procurement.needsSubmissions").([]any)); n != 1 {
		t.Fatalf("a member sees only its own submission, got %d: %+v", n, subs.Data)
	}
	if n := len(f.ok(lead, `query($id: ID!) { procurement(id: $id) { needsSubmissions { organisation { id } } } }`, vars).get("procurement.needsSubmissions").([]any)); n != 5 {
		t.Fatalf("the lead's officer sees every submission, got %d", n)
	}
	sources := []map[string]any{}
	for _, org := range fiveMembers {
		sources = append(sources, map[string]any{"organisationId": org, "needId": org + "-1"})
	}
	common := []map[string]any{{"id": "felles-1", "statement": "Varsling ved fall", "sources": sources}}
	div := []map[string]any{{"topic": "Integrasjon", "description": "Oslo krever integrasjon mot Gerica", "organisationIds": []string{"oslo"}}}
	// A lead officer of a member that is not the lead may not consolidate.
	f.ok(admin["bergen"], `mutation { grantRole(input: {organisationId: "bergen", user: "bergen-lo", role: "lead-officer"}) { revision } }`, nil)
	f.rejected("RULE_VIOLATION", "procurement.hub_or_lead_only", f.token("bergen-lo", "bergen"), consolidateM, map[string]any{"id": id, "common": common})
	f.rejected("BAD_USER_INPUT", "procurement.unknown_need_ref", lead, consolidateM,
		map[string]any{"id": id, "common": []map[string]any{{"id": "x", "statement": "x", "sources": []map[string]any{{"organisationId": "oslo", "needId": "nope"}}}}})
	f.ok(lead, consolidateM, map[string]any{"id": id, "common": common, "div": div})
	if !hasTask(f.ok(admin["stavanger"], tasksQ, vars), "APPROVE_CONSOLIDATED_NEEDS", 1) {
		t.Fatal("stavanger must be asked to approve version 1")
	}
	for _, org := range []string{"bergen", "oslo"} {
		f.ok(needs[org], approveM, map[string]any{"id": id, "v": 1})
	}
	f.rejected("RULE_VIOLATION", "procurement.already_voted", admin["bergen"], approveM, map[string]any{"id": id, "v": 1})
	f.rejected("BAD_USER_INPUT", "procurement.rejection_reason_required", admin["trondheim"], rejectM, map[string]any{"id": id, "v": 1})
	// Version 2 of the agreement made approval UNANIMOUS: one rejection decides.
	r := f.ok(admin["trondheim"], rejectM, map[string]any{"id": id, "v": 1, "c": "Mangler krav til personvern"})
	if fmt.Sprint(r.get("rejectConsolidatedNeeds.procurement.consolidatedNeeds")) != "[map[outcome:REJECTED version:1]]" {
		t.Fatalf("one rejection under UNANIMOUS rejects the version: %+v", r.Data)
	}
	f.rejected("RULE_VIOLATION", "procurement.needs_version_decided", admin["stavanger"], approveM, map[string]any{"id": id, "v": 1})

	common[0]["statement"] = "Varsling ved fall, med krav til personvern"
	f.ok(hub, consolidateM, map[string]any{"id": id, "common": common, "div": div})
	f.rejected("RULE_VIOLATION", "procurement.needs_version_outdated", needs["oslo"], approveM, map[string]any{"id": id, "v": 1})
	var last gqlResult
	for _, org := range fiveMembers {
		last = f.ok(needs[org], approveM, map[string]any{"id": id, "v": 2})
	}
	cs := last.get("approveConsolidatedNeeds.procurement.consolidatedNeeds").([]any)
	if v2 := cs[1].(map[string]any); v2["outcome"] != "APPROVED" || len(v2["votes"].([]any)) != 5 {
		t.Fatalf("version 2 must be approved by all five (UNANIMOUS after the amendment): %+v", cs)
	}

	// Commitments: bad input first, then volumes from every member.
	commit := func(org, lot, typ, q, value string) gqlResult {
		return f.ok(budget[org], commitM, map[string]any{"id": id, "lot": lot, "type": typ, "q": q, "value": value, "cur": "NOK"})
	}
	f.rejected("BAD_USER_INPUT", "procurement.negative_volume", budget["oslo"], commitM, map[string]any{"id": id, "lot": "lot-1", "type": "BINDING", "q": "-5", "value": "100", "cur": "NOK"})
	f.rejected("RULE_VIOLATION", "procurement.currency_mismatch", budget["oslo"], commitM, map[string]any{"id": id, "lot": "lot-1", "type": "BINDING", "q": "5", "value": "100", "cur": "SEK"})
	f.rejected("FORBIDDEN", "", needs["oslo"], commitM, map[string]any{"id": id, "lot": "lot-1", "type": "BINDING", "q": "5", "value": "100", "cur": "NOK"})
	before := time.Now().UTC()
	for i, org := range fiveMembers {
		commit(org, "lot-1", "BINDING", fmt.Sprint(100*(i+1)), fmt.Sprintf("%d.00", 1_000_000*(i+1)))
	}
	commit("oslo", "lot-1", "OPTION", "50", "500000.50")
	last = commit("bergen", "lot-2", "INDICATIVE", "2.5", "250000")
	jv := last.get("commitVolume.procurement.jointEstimatedValue").(map[string]any)
	if jv["currency"] != "NOK" || jv["binding"] != "15000000.00" || jv["indicative"] != "250000.00" || jv["option"] != "500000.50" || jv["total"] != "15750000.50" {
		t.Fatalf("joint estimated value: %+v", jv)
	}
	shares := last.get("commitVolume.procurement.costShares").(map[string]any)
	total := 0.0
	for _, s := range shares["shares"].([]any) {
		total += s.(map[string]any)["basisPoints"].(float64)
	}
	if shares["reason"] != "VOLUMES_CHANGED" || total != 10000 || len(shares["shares"].([]any)) != 5 {
		t.Fatalf("shares must cover all five and sum to 100.00 %%: %+v", shares)
	}
	asOf := f.ok(hub, `query($id: ID!, $at: String) { procurement(id: $id) { costShares(asOf: $at) { reason } costShareHistory { reason } } }`,
		map[string]any{"id": id, "at": before.Add(-time.Millisecond).Format(time.RFC3339Nano)})
	if asOf.get("procurement.costShares") != nil || len(asOf.get("procurement.costShareHistory").([]any)) < 2 {
		t.Fatalf("before any commitment there were no shares; afterwards a history: %+v", asOf.Data)
	}

	// Bergen has done everything the case asks of it so far.
	for _, task := range f.ok(admin["bergen"], myTasksQ, nil).get("myTasks").([]any) {
		if tm := task.(map[string]any); tm["procurement"].(map[string]any)["id"] == id {
			t.Fatalf("bergen has done everything in the case, yet: %+v", tm)
		}
	}
}

func hasTask(r gqlResult, kind string, version int) bool {
	for _, t := range r.get("procurement.tasks").([]any) {
		tm := t.(map[string]any)
		if tm["kind"] == kind && (version == 0 || tm["version"] == float64(version)) {
			return true
		}
	}
	return false
}

// hashOf is the SHA-256 of a stand-in agreement text.
func hashOf(label string) string {
	sum := sha256.Sum256([]byte("Samarbeidsavtale " + label))
	return hex.EncodeToString(sum[:])
}
