// kcluster is the project's test cluster: the real Kubernetes control plane with a simulated
// node and helm-controller, in one static program. `kcluster server` stands in for `k3s server`.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/client-go/kubernetes"

	"codex-k8s-install/test/cluster/internal/controlplane"
	"codex-k8s-install/test/cluster/internal/helmsim"
	"codex-k8s-install/test/cluster/internal/kubelet"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "server" {
		fmt.Fprintln(os.Stderr, "usage: kcluster server [--data-dir DIR] [--write-kubeconfig FILE] [--https-listen-port PORT] [--node-name NAME]")
		os.Exit(2)
	}
	flags := flag.NewFlagSet("server", flag.ExitOnError)
	dataDir := flags.String("data-dir", "/var/lib/rancher/k3s", "where etcd's data and the certificates are kept")
	kubeconfig := flags.String("write-kubeconfig", "/etc/rancher/k3s/k3s.yaml", "where the admin kubeconfig is written")
	port := flags.Int("https-listen-port", 6443, "the API server's port on 127.0.0.1; 0 picks a free one")
	nodeName := flags.String("node-name", "", "the simulated node's name (default: the host name)")
	_ = flags.Parse(os.Args[2:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, *dataDir, *kubeconfig, *port, *nodeName); err != nil {
		fmt.Fprintln(os.Stderr, "kcluster:", err)
		os.Exit(1)
	}
}

func serve(ctx context.Context, dataDir, kubeconfig string, port int, nodeName string) error {
	if port == 0 {
		free, err := controlplane.FreePort()
		if err != nil {
			return err
		}
		port = free
	}
	if nodeName == "" {
		host, err := os.Hostname()
		if err != nil {
			return err
		}
		nodeName = host
	}
	server, err := controlplane.Start(ctx, controlplane.Config{DataDir: dataDir, Port: port})
	if err != nil {
		return err
	}
	if err := startAddons(ctx, server, nodeName); err != nil {
		return err
	}
	if err := writeKubeconfigAtomically(kubeconfig, server); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "kcluster: ready at %s, kubeconfig %s\n", server.URL, kubeconfig)
	select {
	case <-ctx.Done():
		return nil
	case err := <-server.Errs:
		return err
	}
}

// The kubeconfig appears only once the cluster is ready, and whole: its presence is the signal
// that the server is up, as k3s.yaml is for waiting scripts.
func writeKubeconfigAtomically(path string, server *controlplane.Server) error {
	temporary := path + ".tmp"
	if err := controlplane.WriteKubeconfig(temporary, server.URL, server.Files, "admin"); err != nil {
		return err
	}
	return os.Rename(temporary, path)
}

// startAddons runs what k3s adds to the control plane, simulated: its node, local-path storage
// and helm-controller.
func startAddons(ctx context.Context, server *controlplane.Server, nodeName string) error {
	client, err := kubernetes.NewForConfig(server.Admin)
	if err != nil {
		return err
	}
	if err := kubelet.Start(ctx, client, nodeName); err != nil {
		return err
	}
	return helmsim.Start(ctx, server.Admin, server.Files.Path("admin.kubeconfig"), server.DataDir)
}
