package procurement_test

import (
	"fmt"
	"testing"

	"github.com/felles/felles/domain/procurement"
)

func TestRecipientsAreTheOrganisationsThatMaySeeAnEvent(t *testing.T) {
	s := procurement.State{Hub: "hub", Lead: "oslo", Members: map[string]procurement.MemberStatus{
		"oslo": procurement.MemberJoined, "bergen": procurement.MemberJoined, "tromso": procurement.MemberInvited,
		"bodo": procurement.MemberWithdrawn}}
	closed := s
	closed.Tendering.Closed = map[procurement.Round]procurement.TenderingClosed{procurement.RoundTenders: {}}
	for _, c := range []struct {
		name  string
		state procurement.State
		ev    procurement.Event
		want  string
	}{
		{"a_case_internal_event_goes_to_the_hub_the_lead_and_the_joined_members", s, procurement.MunicipalityJoined{Org: "bergen"}, "[hub oslo bergen]"},
		{"a_draft_goes_to_its_owner_alone", s, procurement.NeedsDraftSaved{Org: "bergen"}, "[bergen]"},
		{"a_member_record_goes_to_the_member_the_hub_and_the_lead", s, procurement.PaymentRecorded{Org: "bergen"}, "[hub oslo bergen]"},
		{"another_members_record_never_goes_to_bergen", s, procurement.PaymentRecorded{Org: "oslo"}, "[hub oslo]"},
		{"commercial_secrets_go_to_the_lead", s, procurement.NegotiationRoundHeld{Supplier: "acme"}, "[oslo]"},
		{"a_score_goes_to_no_organisation", s, procurement.BidScored{Evaluator: "bergen-eva"}, "[]"},
		{"sealed_metadata_goes_to_the_lead_before_receipt_closes", s, procurement.BidSubmitted{}, "[oslo]"},
		{"sealed_metadata_goes_to_the_case_after_receipt_closes", closed, procurement.BidSubmitted{}, "[hub oslo bergen]"},
		{"invited_and_withdrawn_municipalities_get_nothing", s, procurement.ContractNoticePublished{}, "[hub oslo bergen]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fmt.Sprint(c.state.Recipients(c.ev)); got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
}
