package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/felles/felles/graphql"
)

func token(args []string) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	dataDir := fs.String("data", "./data", "data folder holding token.key")
	user := fs.String("user", "", "user the token names")
	org := fs.String("org", "", "organisation the user acts for")
	ttl := fs.Duration("ttl", 24*time.Hour, "how long the token is valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *user == "" || *org == "" {
		return fmt.Errorf("token needs --user and --org")
	}
	tokens, err := graphql.LoadTokens(*dataDir)
	if err != nil {
		return err
	}
	t, err := tokens.Mint(*user, *org, *ttl, time.Now())
	if err != nil {
		return err
	}
	fmt.Println(t)
	return nil
}
