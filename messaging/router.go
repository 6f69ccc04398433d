package messaging

import (
	"errors"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
)

// PoisonTopic is where a message goes once its retries are exhausted.
const PoisonTopic = "felles.poison"

// RouterConfig tunes the middlewares.
type RouterConfig struct {
	MaxRetries      int
	InitialInterval time.Duration
	HandlerTimeout  time.Duration
}

// DefaultRouterConfig suits projections: a few quick retries, then poison.
var DefaultRouterConfig = RouterConfig{MaxRetries: 5, InitialInterval: 100 * time.Millisecond, HandlerTimeout: 30 * time.Second}

// NewRouter builds the Router with the middlewares in the house order:
// Recoverer, CorrelationID, PoisonQueue, Retry, Timeout. The first added is the
// outermost, so a panic is caught around everything, and only a message whose
// retries are exhausted is poisoned. A second Recoverer innermost turns a
// handler's panic into an error the Retry and PoisonQueue see; without it a
// panicking handler would be nacked and redelivered forever.
func NewRouter(cfg RouterConfig, poison message.Publisher, log watermill.LoggerAdapter) (*message.Router, error) {
	if poison == nil || log == nil {
		return nil, errors.New("messaging: NewRouter needs a poison publisher and a logger")
	}
	r, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, log)
	if err != nil {
		return nil, err
	}
	poisonQueue, err := middleware.PoisonQueue(poison, PoisonTopic)
	if err != nil {
		return nil, err
	}
	r.AddMiddleware(
		middleware.Recoverer,
		middleware.CorrelationID,
		poisonQueue,
		middleware.Retry{
			MaxRetries: cfg.MaxRetries, InitialInterval: cfg.InitialInterval, MaxInterval: 5 * time.Second,
			Multiplier: 2, Logger: log, ResetContextOnRetry: true,
		}.Middleware,
		middleware.Timeout(cfg.HandlerTimeout),
		middleware.Recoverer,
	)
	return r, nil
}
