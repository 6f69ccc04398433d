package ocds

// Extensions are the OCDS extensions the releases use (DOMAIN.md §6), declared
// in every package so a reader knows where each field beyond the core schema
// is defined.
var Extensions = []string{
	extension("ocds_lots_extension"),                 // tender.lots, awards.relatedLots
	extension("ocds_awardCriteria_extension"),        // tender.lots[].awardCriteria
	extension("ocds_enquiry_extension"),              // tender.enquiries
	extension("ocds_bid_extension"),                  // bids.statistics, bids.details
	extension("ocds_contract_buyer_extension"),       // contracts[].buyer
	extension("ocds_contract_signatories_extension"), // contracts[].signatories
	extension("ocds_withheld_information_extension"), // withheldInformation
	extension("ocds_eu_extension"),                   // partyRole processContactPoint (and EU codes)
}

func extension(repo string) string {
	return "https://raw.githubusercontent.com/open-contracting-extensions/" + repo + "/master/extension.json"
}

// CodelistAdditions are the codes Felles uses in OPEN codelists beyond the
// OCDS 1.1.5 core CSVs, with where each comes from. Closed codelists get no
// additions: their values are the core CSV's.
//
//   - leadBuyer: the municipality leading a joint procurement under the other
//     members' mandates (OCDS for eForms, OPP-050 "Buyers Group Lead Indicator").
//   - procurementServiceProvider: the hub, which runs the procedure for the
//     members without buying for itself (OCDS for eForms, OPT-030 "Provided
//     Service Type"); it is not a central purchasing body.
var CodelistAdditions = map[string][]string{
	"partyRole.csv": {"leadBuyer", "procurementServiceProvider"},
}
