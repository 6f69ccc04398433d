package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/procurement"
)

func TestTenderTasks(t *testing.T) {
	question := procurement.QuestionReceived{QuestionID: "q1", Supplier: tdSupplier, Text: "?", Stage: procurement.StageDialogue, ReceivedAt: tdAt(22, 9), RecordedBy: tdSupplier}
	held := procurement.DialogueEventScheduled{EventID: "conf", Type: procurement.DialogueConference, Title: "Conference", StartsAt: tdAt(25, 9)}
	submitted := tdThen(tdDesigned(tdPlan()), procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: tdDocsHash, SubmittedAt: tdAt(45, 9)})
	bergenVoted := tdThen(submitted, procurement.TenderDocumentsApproved{Org: tdMember, Version: 1, DocumentHash: tdDocsHash})
	cases := []struct {
		name    string
		history []procurement.Event
		org     string
		day     int
		want    []ndTask
	}{
		{"the_lead_answers_an_open_question", tdThen(tdDialogue(), question), tdLead, 23, []ndTask{ndT(procurement.TaskAnswerQuestion)}},
		{"the_hub_does_not_answer_questions", tdThen(tdDialogue(), question), hub, 23, nil},
		{"an_event_that_took_place_waits_for_its_minutes", tdThen(tdDialogue(), held), hub, 26, []ndTask{ndT(procurement.TaskMinuteDialogueEvent)}},
		{"an_event_to_come_needs_no_minutes_yet", tdThen(tdDialogue(), held), hub, 24, nil},
		{"with_nothing_open_the_lead_closes_the_dialogue", tdDialogue(), tdLead, 31, []ndTask{ndT(procurement.TaskCloseMarketDialogue)}},
		{"the_lead_completes_the_design", tdDesign(), tdLead, 41, []ndTask{ndT(procurement.TaskCompleteDesign)}},
		{"a_complete_design_leaves_nothing", tdDesigned(tdPlan()), tdLead, 44, nil},
		{"each_member_votes_on_the_documents", submitted, tdMember, 46, []ndTask{ndT(procurement.TaskApproveDocuments, 1)}},
		{"a_member_that_voted_waits", bergenVoted, tdMember, 46, nil},
		{"once_approved_the_lead_publishes", tdApproved(tdPlan()), tdLead, 47, []ndTask{ndT(procurement.TaskPublishContractNotice, 1)}},
		{"after_the_close_the_lead_opens", tdClosed(tdPlan()), tdLead, 90, []ndTask{ndT(procurement.TaskOpenBids)}},
		{"after_the_close_the_hub_opens_nothing", tdClosed(tdPlan()), hub, 90, nil},
	}
	for _, c := range cases {
		// Both members recorded their anchoring, so only this phase's tasks remain.
		h := tdThen(c.history, ndAnchored(tdLead), ndAnchored(tdMember))
		t.Run(c.name, func(t *testing.T) { ndTasksAre(t, h, c.org, tdAt(c.day, 12), c.want...) })
	}
}
