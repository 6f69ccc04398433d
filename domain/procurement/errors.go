package procurement

import "github.com/felles/felles/domain/es"

var (
	ErrTitleRequired       = es.Invalid("procurement.title_required", "a case needs a title of at most 200 characters")
	ErrDescriptionTooLong  = es.Invalid("procurement.description_too_long", "the description can be at most 20,000 characters")
	ErrInvalidJurisdiction = es.Invalid("procurement.invalid_jurisdiction", "the jurisdiction must be NO, SE or FI")
	ErrInvalidCPV          = es.Invalid("procurement.invalid_cpv", "a CPV code is eight digits with an optional check digit, like 48000000-8")
	ErrReasonRequired      = es.Invalid("procurement.reason_required", "give a reason of at most 2,000 characters")
	ErrReasonTooLong       = es.Invalid("procurement.reason_too_long", "a reason can be at most 2,000 characters")
	ErrInvalidCaseID       = es.Invalid("procurement.invalid_id", "a case ID is a UUID")

	ErrAlreadyExists = es.Conflict("procurement.already_exists", "a case with this ID already exists")
	// ErrNotFound is also the answer to anyone with no part in the case (a
	// hub that does not coordinate it, a municipality never invited): they do
	// not learn that it exists, nor its state.
	ErrNotFound        = es.NotFound("procurement.not_found", "no such procurement case")
	ErrInviteeNotFound = es.NotFound("procurement.invitee_not_found", "no organisation is registered with this ID")

	ErrHubRequired             = es.Rule("procurement.hub_required", "only a hub can create a joint procurement case")
	ErrInviteeNotMunicipality  = es.Rule("procurement.invitee_not_municipality", "only municipalities can be invited as members")
	ErrCancelled               = es.Rule("procurement.cancelled", "the case is cancelled; nothing more can happen in it")
	ErrTerminal                = es.Rule("procurement.terminal", "the case has ended; nothing more can happen in it")
	ErrClosedForParticipants   = es.Rule("procurement.closed_for_participants", "recruitment is over: members can only be invited or join while the case is in DRAFT or RECRUITING")
	ErrAlreadyDeclined         = es.Rule("procurement.invitation_already_declined", "your organisation declined this invitation; ask the hub to invite it again")
	ErrAlreadyJoined           = es.Rule("procurement.already_joined", "your organisation has joined this case; withdraw instead of declining")
	ErrAlreadyWithdrawn        = es.Rule("procurement.already_withdrawn", "your organisation withdrew from this case; ask the hub to invite it again")
	ErrNotMember               = es.Rule("procurement.not_member", "your organisation is not a member of this case")
	ErrWithdrawalAfterNotice   = es.Rule("procurement.withdrawal_after_notice", "after the contract notice a member can only withdraw with the lead's and hub's approval and a recorded material-change assessment")
	ErrRecruitmentNotFromDraft = es.Rule("procurement.recruitment_not_from_draft", "recruitment can only be opened while the case is a DRAFT")
	ErrNoInvitations           = es.Rule("procurement.no_invitations", "invite at least one municipality before opening recruitment")
	ErrRecruitmentNotOpen      = es.Rule("procurement.recruitment_not_open", "recruitment is not open: open it before closing it")
	ErrNotJoint                = es.Rule("procurement.not_joint", "a joint procurement needs at least two joined municipalities before recruitment closes")
	ErrInvitationsOutstanding  = es.Rule("procurement.invitations_outstanding", "every invited municipality must accept or decline before recruitment closes")
	ErrDecidingBodyRequired    = es.Invalid("procurement.deciding_body_required", "name the body that decided (at most 200 characters)")
	ErrInvalidDecisionDate     = es.Invalid("procurement.invalid_decision_date", "the decision date is a date like 2026-03-01")
	ErrCaseRefRequired         = es.Invalid("procurement.case_ref_required", "give the decision's journal reference (at most 100 characters)")
	ErrDecisionInFuture        = es.Rule("procurement.decision_in_future", "a decision cannot be dated after today")
	ErrInvalidMandateID        = es.Invalid("procurement.invalid_mandate_id", "a mandate ID is 1–64 letters, digits, dots, underscores or hyphens")
	ErrInvalidValidUntil       = es.Invalid("procurement.invalid_valid_until", "validUntil is a date like 2027-12-31")
	ErrMandateExpired          = es.Rule("procurement.mandate_expired", "a mandate must be valid at least until today")
	ErrMandateScopeRequired    = es.Invalid("procurement.mandate_scope_required", "a mandate needs at least one scope")
	ErrUnknownMandateScope     = es.Invalid("procurement.unknown_mandate_scope", "the scope must be prepare, publish, answerQuestions, evaluate, decideAward, notify, signContract or manageContract")
	ErrMandateToSelf           = es.Rule("procurement.mandate_to_self", "a member cannot give a mandate to itself")
	ErrMandateToNonMember      = es.Rule("procurement.mandate_to_non_member", "a mandate can only be given to a joined member of the case")
	ErrMandateIDTaken          = es.Conflict("procurement.mandate_id_taken", "this mandate ID is already used for another mandate in the case")
	ErrMandateNotFound         = es.NotFound("procurement.mandate_not_found", "your organisation has no mandate with this ID in the case")
	ErrHubCannotJoin           = es.Rule("procurement.hub_cannot_be_member", "the hub coordinates the case and cannot also be invited as a member")
)
