package clock

import "context"

// TickAfterMessage is the tick Run makes right after a handled message.
func (r *Reactor) TickAfterMessage(ctx context.Context) error { return r.tick(ctx, false) }
