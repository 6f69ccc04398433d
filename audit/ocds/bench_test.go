package ocds

import (
	"fmt"
	"testing"
	"time"

	"github.com/felles/felles/domain/procurement"
)

// bigCase is the whole case with n answered questions more: a case with a
// busy tender phase, n+33 events and n+21 releases.
func bigCase(b *testing.B, n int) *logBuilder {
	l := wholeCase(b)
	// the questions go in after the notice: rebuild with them in place
	extra := newLog(b)
	extra.recs = nil
	var cut int
	for i, r := range l.recs {
		if r.Type == "ContractNoticePublished" {
			cut = i + 1
		}
	}
	extra.recs = append(extra.recs, l.recs[:cut]...)
	extra.at = l.recs[cut-1].Metadata.OccurredAt.Add(time.Minute)
	for i := range n {
		q := fmt.Sprintf("q-%d", i)
		extra.events(procurement.QuestionReceived{QuestionID: q, Supplier: "acme", Text: "?", ReceivedAt: extra.at},
			procurement.AnswerPublished{QuestionID: q, AnonymisedQuestion: "Spørsmål " + q, Answer: "Svar på " + q, PublishedAt: extra.at})
	}
	for _, r := range l.recs[cut:] {
		r.Position = extra.recs[len(extra.recs)-1].Position
		r.Position.Commit++
		r.Position.Prepare++
		r.Metadata.OccurredAt = extra.at
		extra.at = extra.at.Add(time.Minute)
		extra.recs = append(extra.recs, r)
	}
	return extra
}

// BenchmarkReleasesOfACase folds a case into releases; the baseline is only
// decoding its events, the least any reader of the log pays.
func BenchmarkReleasesOfACase(b *testing.B) {
	for _, n := range []int{0, 1000} {
		l := bigCase(b, n)
		b.Run(fmt.Sprintf("decode_only/events=%d", len(l.recs)), func(b *testing.B) {
			reg := procurement.Events()
			for b.Loop() {
				for _, r := range l.recs {
					if _, _, err := reg.Decode(r.Type, r.SchemaVersion, r.Data); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(l.recs)), "ns/event")
		})
		b.Run(fmt.Sprintf("releases/events=%d", len(l.recs)), func(b *testing.B) {
			for b.Loop() {
				l.releases()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(l.recs)), "ns/event")
		})
	}
}

func BenchmarkRecordPackageOfACase(b *testing.B) {
	for _, n := range []int{0, 1000} {
		l := bigCase(b, n)
		ps := []Process{{CaseID: testCase, OCID: DefaultConfig.OCID(testCase), Releases: l.releases()}}
		b.Run(fmt.Sprintf("releases=%d", len(ps[0].Releases)), func(b *testing.B) {
			var size int
			for b.Loop() {
				pkg, err := NewRecordPackage(DefaultConfig, "u", ps)
				if err != nil {
					b.Fatal(err)
				}
				raw, err := Encode(pkg)
				if err != nil {
					b.Fatal(err)
				}
				size = len(raw)
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}
