package main

import (
	"context"
	"fmt"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
)

type demoOrg struct {
	id, name, orgNumber string
	kind                organisation.Kind
}

// demoStaff are the people every demo municipality has besides its admin:
// user <org>-<suffix> holds role in <org>.
var demoStaff = []struct {
	suffix string
	role   organisation.Role
}{
	{"needs", organisation.RoleNeedsOwner},
	{"budget", organisation.RoleBudgetHolder},
	{"signatory", organisation.RoleSignatory},
}

// demoExtraGrants are single grants in one organisation: oslo's lead procurement
// officer, so a case can have a lead authority to try.
var demoExtraGrants = []struct {
	org, user string
	role      organisation.Role
}{
	{"oslo", "oslo-lead", organisation.RoleLeadOfficer},
	{"oslo", "oslo-lead-signatory", organisation.RoleLeadSignatory}, // the second pair of eyes at an opening
	{"bergen", "bergen-eva", organisation.RoleEvaluator},            // an evaluator the lead can appoint
}

// The demo runs through ordinary commands with fixed command IDs, so starting
// with --demo again appends nothing new. A command ID, once used, must always
// name the same command: change a grant by adding one under a new ID, never by
// editing an existing one, or a data folder from an earlier demo is refused.
var demoOrgs = []demoOrg{
	{"hub", "Innkjøpshub Norge (demo)", "999000001", organisation.KindHub},
	{"oslo", "Oslo kommune", "958935420", organisation.KindMunicipality},
	{"bergen", "Bergen kommune", "964338531", organisation.KindMunicipality},
	{"trondheim", "Trondheim kommune", "942110464", organisation.KindMunicipality},
	{"stavanger", "Stavanger kommune", "964965226", organisation.KindMunicipality},
	{"kristiansand", "Kristiansand kommune", "963296746", organisation.KindMunicipality},
	{"acme", "Acme Sensor AS (demo)", "999000101", organisation.KindSupplier},
	{"nordic", "Nordic Vision AB (demo)", "999000102", organisation.KindSupplier},
}

func loadDemo(ctx context.Context, sys *system) error {
	var last app.Result
	step := func(res app.Result, err error) error {
		if err != nil {
			return err
		}
		if last.Position.Less(res.Position) {
			last = res
		}
		return nil
	}
	sysMeta := func(id string) app.CommandMeta { return app.CommandMeta{CommandID: "demo-" + id} }
	for _, o := range demoOrgs {
		if err := step(sys.organisations.Register(ctx, app.System, sysMeta("register-"+o.id),
			app.RegisterInput{ID: o.id, Kind: o.kind, Name: o.name, OrgNumber: o.orgNumber})); err != nil {
			return err
		}
		role, user := organisation.RoleMunicipalityAdmin, o.id+"-admin"
		switch o.kind {
		case organisation.KindHub:
			role, user = organisation.RoleHubCoordinator, "hub-coordinator"
		case organisation.KindSupplier:
			role, user = organisation.RoleSupplierUser, o.id+"-sales"
		}
		if err := step(sys.organisations.GrantRole(ctx, app.System, sysMeta("grant-"+user), o.id, user, role)); err != nil {
			return err
		}
		if o.kind == organisation.KindSupplier {
			continue // a supplier has no auditor of the buyers' side
		}
		if err := step(sys.organisations.GrantRole(ctx, app.System, sysMeta("grant-auditor-"+o.id), o.id, "auditor", organisation.RoleAuditor)); err != nil {
			return err
		}
		if o.kind != organisation.KindMunicipality {
			continue
		}
		for _, st := range demoStaff {
			user := o.id + "-" + st.suffix
			if err := step(sys.organisations.GrantRole(ctx, app.System, sysMeta("grant-"+user), o.id, user, st.role)); err != nil {
				return err
			}
		}
	}
	for _, g := range demoExtraGrants {
		if err := step(sys.organisations.GrantRole(ctx, app.System, sysMeta("grant-"+g.user), g.org, g.user, g.role)); err != nil {
			return err
		}
	}
	// The people below act under their own roles, so the enforcer must have
	// learned the grants first.
	if err := waitViews(ctx, sys, last); err != nil {
		return err
	}
	hub := app.Principal{User: "hub-coordinator", Org: "hub"}
	id, res, err := sys.procurements.Create(ctx, hub, app.CommandMeta{CommandID: "demo-case-1"}, app.CreateInput{
		Title:        "Digitalt tilsyn i hjemmetjenesten",
		Description:  "Felles innovativ anskaffelse av løsninger for digitalt tilsyn i hjemmebaserte tjenester.",
		Jurisdiction: procurement.JurisdictionNO, CPV: []string{"48000000-8", "85000000-9"},
	})
	if err := step(res, err); err != nil {
		return err
	}
	for _, org := range []string{"oslo", "bergen", "trondheim"} {
		if err := step(sys.procurements.Invite(ctx, hub, app.CommandMeta{CommandID: "demo-invite-" + org}, id, org)); err != nil {
			return err
		}
	}
	for _, org := range []string{"oslo", "bergen"} {
		admin := app.Principal{User: org + "-admin", Org: org}
		if err := step(sys.procurements.Accept(ctx, admin, app.CommandMeta{CommandID: "demo-accept-" + org}, id)); err != nil {
			return err
		}
	}
	return waitViews(ctx, sys, last)
}

func waitViews(ctx context.Context, sys *system, res app.Result) error {
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return sys.runner.WaitFor(c, res.Position)
}

func printDemoHelp(dataDir, addr string) {
	fmt.Printf(`
Demo data is loaded: the hub "hub" and the municipalities oslo, bergen, trondheim, stavanger and kristiansand,
a sample case "Digitalt tilsyn i hjemmetjenesten" (oslo and bergen joined, trondheim invited).

Users, each acting for its own organisation (--org):
  hub-coordinator   hub-coordinator in hub
  oslo-lead         lead-officer in oslo
  oslo-lead-signatory lead-signatory in oslo (the second person of a four-eyes opening)
  bergen-eva        evaluator in bergen (appoint it in a case's design)
  acme-sales        supplier-user in the supplier acme
  nordic-sales      supplier-user in the supplier nordic
  auditor           auditor in every organisation
and in each municipality <org> (oslo, bergen, trondheim, stavanger, kristiansand):
  <org>-admin       municipality-admin
  <org>-needs       needs-owner
  <org>-budget      budget-holder
  <org>-signatory   signatory

Get a token, for example:
  go run ./cmd/felles token --data %s --user hub-coordinator --org hub
  go run ./cmd/felles token --data %s --user bergen-admin --org bergen
  go run ./cmd/felles token --data %s --user bergen-needs --org bergen
  go run ./cmd/felles token --data %s --user oslo-lead --org oslo

Open GraphiQL at http://%s/ and put {"Authorization": "Bearer <token>"} in the headers pane.
`, dataDir, dataDir, dataDir, dataDir, addr)
}
