// credgo resolves credentials with the real credentials-go code and prints what a program
// built on it would sign with, one JSON line per resolution. The integration tests run it
// under `alicloud-vault exec`, against `exec --server` URIs and inside the metadata tests'
// network namespace.
//
//	credgo chain               the default chain (credentials.NewCredential(nil))
//	credgo uri URL             the URI provider
//	credgo ecs [ROLE]          the ECS RAM role provider (role discovered when empty)
//	credgo cli-profile [NAME]  the aliyun CLI config.json provider (current profile when empty)
//
// With CREDGO_UNTIL_NEW=SECONDS it keeps resolving every half second until the AccessKeyId
// changes (a refresh after expiry) or the time is up, and prints both resolutions.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
)

type resolved struct {
	AccessKeyId     string
	AccessKeySecret string
	SecurityToken   string
	ProviderName    string
}

type resolver func() (resolved, error)

func fromProvider(p providers.CredentialsProvider) resolver {
	return func() (resolved, error) {
		c, err := p.GetCredentials()
		if err != nil {
			return resolved{}, err
		}
		return resolved{c.AccessKeyId, c.AccessKeySecret, c.SecurityToken, c.ProviderName}, nil
	}
}

func arg(i int) string {
	if len(os.Args) > i {
		return os.Args[i]
	}
	return ""
}

func build() (resolver, error) {
	switch arg(1) {
	case "chain":
		cred, err := credentials.NewCredential(nil)
		if err != nil {
			return nil, err
		}
		return func() (resolved, error) {
			m, err := cred.GetCredential()
			if err != nil {
				return resolved{}, err
			}
			r := resolved{ProviderName: *m.ProviderName}
			if m.AccessKeyId != nil {
				r.AccessKeyId = *m.AccessKeyId
			}
			if m.AccessKeySecret != nil {
				r.AccessKeySecret = *m.AccessKeySecret
			}
			if m.SecurityToken != nil {
				r.SecurityToken = *m.SecurityToken
			}
			return r, nil
		}, nil
	case "uri":
		p, err := providers.NewURLCredentialsProviderBuilder().WithUrl(arg(2)).Build()
		if err != nil {
			return nil, err
		}
		return fromProvider(p), nil
	case "ecs":
		p, err := providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(arg(2)).Build()
		if err != nil {
			return nil, err
		}
		return fromProvider(p), nil
	case "cli-profile":
		p, err := providers.NewCLIProfileCredentialsProviderBuilder().WithProfileName(arg(2)).Build()
		if err != nil {
			return nil, err
		}
		return fromProvider(p), nil
	}
	return nil, fmt.Errorf("usage: credgo chain | uri URL | ecs [ROLE] | cli-profile [NAME]")
}

func main() {
	get, err := build()
	if err == nil {
		err = run(get)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "credgo:", err)
		os.Exit(1)
	}
}

func run(get resolver) error {
	first, err := get()
	if err != nil {
		return err
	}
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(first); err != nil {
		return err
	}
	wait, _ := strconv.Atoi(os.Getenv("CREDGO_UNTIL_NEW"))
	deadline := time.Now().Add(time.Duration(wait) * time.Second)
	for wait > 0 && time.Now().Before(deadline) {
		time.Sleep(500 * time.Millisecond)
		next, err := get()
		if err != nil {
			return err
		}
		if next.AccessKeyId != first.AccessKeyId {
			return out.Encode(next)
		}
	}
	if wait > 0 {
		return fmt.Errorf("the AccessKeyId did not change within %d s", wait)
	}
	return nil
}
