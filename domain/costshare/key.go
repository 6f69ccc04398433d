package costshare

// Method is how a key weighs the members; the strings are permanent because
// agreements and events store them.
type Method string

const (
	// Population shares by inhabitants: popᵢ/Σpop, from official statistics at a
	// fixed reference date.
	Population Method = "POPULATION"
	// Volume shares by committed value: valueᵢ/Σvalue, options included when the
	// key says so.
	Volume Method = "VOLUME"
	// Equal gives every member 1/n.
	Equal Method = "EQUAL"
	// Hybrid is α·equal + β·population + γ·volume with α+β+γ = 1, typically a
	// base fee plus a variable part.
	Hybrid Method = "HYBRID"
)

// One is the weight 1 in basis points: a HYBRID key's weights sum to it.
const One int64 = 10000

// Weights are the parts of a HYBRID key in basis points of one (10000 = 1), so
// 0.2/0.5/0.3 is {2000, 5000, 3000}. Integers make "sum to exactly 1" an exact
// comparison, which it never is with float64 (0.1+0.2 != 0.3).
type Weights struct {
	Equal      int64
	Population int64
	Volume     int64
}

func (w Weights) isZero() bool { return w == Weights{} }

// Key is the cost-sharing key an agreement defines. CountOptions says whether a
// member's option value counts towards its volume; it is ignored when the key
// has no volume part.
type Key struct {
	Method       Method
	Weights      Weights
	CountOptions bool
}

// Validate checks the key on its own, before any member data: a known method,
// and weights only for HYBRID, each in [0, 1] and summing to exactly 1.
// Non-hybrid keys must leave the weights zero, so that a key reading
// "POPULATION, 0.2/0.5/0.3" is refused rather than silently meaning population.
func (k Key) Validate() error {
	switch k.Method {
	case Population, Volume, Equal:
		if !k.Weights.isZero() {
			return ErrWeightsNotForMethod.With("method %s", k.Method)
		}
		return nil
	case Hybrid:
		return k.Weights.validate()
	}
	return ErrUnknownMethod.With("got %q", string(k.Method))
}

func (w Weights) validate() error {
	for _, part := range []struct {
		name string
		bp   int64
	}{{"equal", w.Equal}, {"population", w.Population}, {"volume", w.Volume}} {
		if part.bp < 0 || part.bp > One {
			return ErrWeightOutOfRange.With("the %s weight is %d basis points", part.name, part.bp)
		}
	}
	if sum := w.Equal + w.Population + w.Volume; sum != One {
		return ErrWeightsNotOne.With("they sum to %d", sum)
	}
	return nil
}

// effective is the key as hybrid weights: the single methods are hybrids with
// all weight on one part, so one calculation serves all four.
func (k Key) effective() Weights {
	switch k.Method {
	case Population:
		return Weights{Population: One}
	case Volume:
		return Weights{Volume: One}
	case Equal:
		return Weights{Equal: One}
	}
	return k.Weights
}
