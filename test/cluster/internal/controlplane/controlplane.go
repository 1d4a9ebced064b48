// Package controlplane runs etcd, kube-apiserver, kube-controller-manager and kube-scheduler
// from the official Kubernetes modules, all in this one process.
package controlplane

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	cliflag "k8s.io/component-base/cli/flag"
	apiserverapp "k8s.io/kubernetes/cmd/kube-apiserver/app"
	apiserveroptions "k8s.io/kubernetes/cmd/kube-apiserver/app/options"
	kcmapp "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	kcmoptions "k8s.io/kubernetes/cmd/kube-controller-manager/app/options"
	schedulerapp "k8s.io/kubernetes/cmd/kube-scheduler/app"
	scheduleroptions "k8s.io/kubernetes/cmd/kube-scheduler/app/options"

	"codex-k8s-install/test/cluster/internal/pki"
)

// Config is what the server needs to know.
type Config struct {
	DataDir string
	Port    int
}

// Server is a running control plane.
type Server struct {
	URL     string
	DataDir string
	Files   pki.Files
	// Admin is the system:masters client the simulated node and helm-controller use.
	Admin *rest.Config
	Errs  chan error
}

// Start brings the control plane up and returns once the API server is ready.
func Start(ctx context.Context, config Config) (*Server, error) {
	files, err := pki.Ensure(filepath.Join(config.DataDir, "tls"))
	if err != nil {
		return nil, fmt.Errorf("certificates: %w", err)
	}
	etcd, etcdURL, err := startEtcd(config.DataDir)
	if err != nil {
		return nil, err
	}
	go func() {
		<-ctx.Done()
		etcd.Close()
	}()
	server := &Server{URL: fmt.Sprintf("https://127.0.0.1:%d", config.Port), DataDir: config.DataDir, Files: files, Errs: make(chan error, 4)}
	for _, client := range pki.Clients {
		if err := WriteKubeconfig(files.Path(client.File+".kubeconfig"), server.URL, files, client.File); err != nil {
			return nil, err
		}
	}
	server.Admin, err = clientcmd.BuildConfigFromFlags("", files.Path("admin.kubeconfig"))
	if err != nil {
		return nil, err
	}
	if err := writeAuditPolicy(config.DataDir); err != nil {
		return nil, err
	}
	go func() {
		server.Errs <- fmt.Errorf("kube-apiserver: %w", runAPIServer(ctx, apiServerArgs(config, files, etcdURL)))
	}()
	if err := waitReady(ctx, server); err != nil {
		return nil, err
	}
	go func() {
		server.Errs <- fmt.Errorf("kube-controller-manager: %w", runControllerManager(ctx, files))
	}()
	go func() { server.Errs <- fmt.Errorf("kube-scheduler: %w", runScheduler(ctx, files)) }()
	return server, nil
}

func apiServerArgs(config Config, files pki.Files, etcdURL string) []string {
	return []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(config.Port),
		"--tls-cert-file=" + files.Path("server.crt"),
		"--tls-private-key-file=" + files.Path("server.key"),
		"--client-ca-file=" + files.Path("ca.crt"),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--api-audiences=https://kubernetes.default.svc.cluster.local,k3s",
		"--service-account-key-file=" + files.Path("service-account.pub"),
		"--service-account-signing-key-file=" + files.Path("service-account.key"),
		"--service-cluster-ip-range=10.43.0.0/16",
		"--authorization-mode=Node,RBAC",
		"--enable-admission-plugins=NodeRestriction",
		"--anonymous-auth=false",
		"--allow-privileged=true",
		"--profiling=false",
		// The endpoint reconciler would publish 127.0.0.1, which Endpoints refuse (loopback); nothing
		// in this cluster reaches the API through the kubernetes Service.
		"--endpoint-reconciler-type=none",
		"--cert-dir=" + filepath.Join(config.DataDir, "apiserver"),
		"--audit-policy-file=" + filepath.Join(config.DataDir, auditDir, "policy.yaml"),
		"--audit-log-path=" + filepath.Join(config.DataDir, auditDir, "audit.log"),
		"--audit-log-format=json",
		// Bounded: one rotated file of 20 MB kept beside the current one.
		"--audit-log-maxsize=20",
		"--audit-log-maxbackup=1",
	}
}

// auditDir, under the data directory, holds the audit policy and the API server's audit log
// (audit.log, one JSON event a line).
const auditDir = "audit"

// The audit log records, at Metadata level (user, verb, resource, subresource, namespace, name,
// response code; never a body), the requests of service accounts outside kube-system: the
// accounts the installed workloads and the deploy path run as, whose RBAC tests compare what
// was used with what is granted. The control plane's own and the admin's requests are not
// recorded, which keeps the log small.
const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    userGroups: ["system:serviceaccounts:kube-system"]
  - level: Metadata
    userGroups: ["system:serviceaccounts"]
  - level: None
`

func writeAuditPolicy(dataDir string) error {
	directory := filepath.Join(dataDir, auditDir)
	if err := os.MkdirAll(directory, 0o700); err != nil {
		return fmt.Errorf("audit directory: %w", err)
	}
	return os.WriteFile(filepath.Join(directory, "policy.yaml"), []byte(auditPolicy), 0o600)
}

func parse(sets cliflag.NamedFlagSets, name string, args []string) error {
	flags := pflag.NewFlagSet(name, pflag.ContinueOnError)
	for _, set := range sets.FlagSets {
		flags.AddFlagSet(set)
	}
	return flags.Parse(args)
}

// The components' cobra commands each install a process-wide signal handler, which can be
// done only once; so their options are filled and run directly, as the commands do.
func runAPIServer(ctx context.Context, args []string) error {
	options := apiserveroptions.NewServerRunOptions()
	if err := parse(options.Flags(), "kube-apiserver", args); err != nil {
		return err
	}
	if err := options.GenericServerRunOptions.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	completed, err := options.Complete(ctx)
	if err != nil {
		return err
	}
	if errs := completed.Validate(); len(errs) != 0 {
		return fmt.Errorf("%v", errs)
	}
	return apiserverapp.Run(ctx, completed)
}

func runControllerManager(ctx context.Context, files pki.Files) error {
	options, err := kcmoptions.NewKubeControllerManagerOptions()
	if err != nil {
		return err
	}
	sets := options.Flags(kcmapp.KnownControllers(), kcmapp.ControllersDisabledByDefault(), kcmapp.ControllerAliases())
	options.ParsedFlags = &sets
	err = parse(sets, "kube-controller-manager", []string{
		"--kubeconfig=" + files.Path("controller-manager.kubeconfig"),
		"--secure-port=0",
		"--leader-elect=false",
		"--use-service-account-credentials=true",
		"--service-account-private-key-file=" + files.Path("service-account.key"),
		"--root-ca-file=" + files.Path("ca.crt"),
		"--cluster-signing-cert-file=" + files.Path("ca.crt"),
		"--cluster-signing-key-file=" + files.Path("ca.key"),
		"--cluster-cidr=10.42.0.0/16",
		"--service-cluster-ip-range=10.43.0.0/16",
		"--controllers=*,tokencleaner",
	})
	if err != nil {
		return err
	}
	if err := options.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	config, err := options.Config(ctx, kcmapp.KnownControllers(), kcmapp.ControllersDisabledByDefault(), kcmapp.ControllerAliases())
	if err != nil {
		return err
	}
	return kcmapp.Run(ctx, config.Complete())
}

func runScheduler(ctx context.Context, files pki.Files) error {
	options := scheduleroptions.NewOptions()
	err := parse(*options.Flags, "kube-scheduler", []string{
		"--kubeconfig=" + files.Path("scheduler.kubeconfig"),
		"--secure-port=0",
		"--leader-elect=false",
	})
	if err != nil {
		return err
	}
	if err := options.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	completed, scheduler, err := schedulerapp.Setup(ctx, options)
	if err != nil {
		return err
	}
	return schedulerapp.Run(ctx, completed, scheduler)
}

// waitReady polls /readyz until every post-start hook has run (RBAC's bootstrap policy among them).
func waitReady(ctx context.Context, server *Server) error {
	client, err := kubernetes.NewForConfig(server.Admin)
	if err != nil {
		return err
	}
	return wait.PollUntilContextTimeout(ctx, 250*time.Millisecond, 5*time.Minute, true, func(ctx context.Context) (bool, error) {
		select {
		case err := <-server.Errs:
			return false, err
		default:
		}
		body, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		return err == nil && string(body) == "ok", nil
	})
}
