// Command compose-validate loads a compose file the way `docker compose config` does — with
// compose-spec/compose-go, the reference implementation: schema validation (an unknown key is an
// error), interpolation, normalization and the consistency check (every network, volume, secret and
// config a service names is declared) — and then applies Ferry's own rules:
//
//   - every long-running service has a health check (one-shot setup services, `restart: "no"` and
//     waited on with `service_completed_successfully`, are exempt);
//   - a `depends_on` on a long-running service waits for `service_healthy`;
//   - no secret is in plain text in `environment`: a variable whose name says password, secret, token,
//     access key or credential must end in _FILE or point into /run/secrets;
//   - every declared secret is a file (not an environment value or inline content).
//
// Usage: compose-validate FILE [--print]   (--print writes the normalized project as `config` does)
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

var secretName = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|ACCESS_KEY|CREDENTIAL)`)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-validate FILE [--print]")
		os.Exit(2)
	}
	file := os.Args[1]
	print := len(os.Args) > 2 && os.Args[2] == "--print"
	abs, err := filepath.Abs(file)
	if err != nil {
		fail(err)
	}
	// Only the file itself decides: no .env from the folder and no variables from this shell, so the
	// check gives the same answer on every machine.
	options, err := cli.NewProjectOptions([]string{abs},
		cli.WithWorkingDirectory(filepath.Dir(abs)),
		cli.WithEnv([]string{}),
		cli.WithInterpolation(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	problems := check(project)
	if print {
		out, err := project.MarshalYAML()
		if err != nil {
			fail(err)
		}
		os.Stdout.Write(out)
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	names := project.ServiceNames()
	sort.Strings(names)
	fmt.Printf("compose-validate: project %q, %d services (%s), %d secrets, %d volumes, %d problems\n",
		project.Name, len(names), strings.Join(names, " "), len(project.Secrets), len(project.Volumes), len(problems))
	if len(problems) > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "compose-validate: %v\n", err)
	os.Exit(1)
}

// oneShot tells whether a service runs to completion (a setup step) rather than staying up.
func oneShot(p *types.Project, name string) bool {
	s := p.Services[name]
	if s.Restart != "no" && s.Restart != "" {
		return false
	}
	for _, other := range p.Services {
		if dep, ok := other.DependsOn[name]; ok && dep.Condition == types.ServiceConditionCompletedSuccessfully {
			return true
		}
	}
	return false
}

func check(p *types.Project) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	names := p.ServiceNames()
	sort.Strings(names)
	for _, name := range names {
		s := p.Services[name]
		short := oneShot(p, name)
		if !short && (s.HealthCheck == nil || s.HealthCheck.Disable || len(s.HealthCheck.Test) == 0) {
			add("service %s: has no health check", name)
		}
		for dep, cond := range s.DependsOn {
			if !oneShot(p, dep) && cond.Condition != types.ServiceConditionHealthy {
				add("service %s: depends_on %s should wait for service_healthy, not %q", name, dep, cond.Condition)
			}
		}
		keys := make([]string, 0, len(s.Environment))
		for k := range s.Environment {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := s.Environment[k]
			if !secretName.MatchString(k) || v == nil || *v == "" {
				continue
			}
			if strings.HasSuffix(k, "_FILE") || strings.HasPrefix(*v, "/run/secrets/") {
				continue
			}
			add("service %s: environment %s holds a secret in plain text; mount it as a secret file", name, k)
		}
		for _, ref := range s.Secrets {
			if _, ok := p.Secrets[ref.Source]; !ok {
				add("service %s: secret %s is not declared", name, ref.Source)
			}
		}
	}
	for name, secret := range p.Secrets {
		if secret.File == "" && !bool(secret.External) {
			add("secret %s: must come from a file (not environment or inline content)", name)
		}
	}
	sort.Strings(problems)
	return problems
}
