package main

import (
	"flag"
	"fmt"
	"net/http"
	"time"
)

// healthcheck lets a container image without curl probe the server it runs:
// exit 0 when the URL answers 2xx.
func healthcheck(args []string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8080/readyz", "URL to probe")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c := http.Client{Timeout: 4 * time.Second}
	resp, err := c.Get(*url)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s answered %s", *url, resp.Status)
	}
	return nil
}
