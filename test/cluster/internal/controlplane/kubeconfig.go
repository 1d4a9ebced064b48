package controlplane

import (
	"os"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"codex-k8s-install/test/cluster/internal/pki"
)

// WriteKubeconfig writes a kubeconfig for one client identity, named "default" throughout and
// carrying its certificates inline, the way k3s writes /etc/rancher/k3s/k3s.yaml.
func WriteKubeconfig(path, server string, files pki.Files, client string) error {
	ca, err := os.ReadFile(files.Path("ca.crt"))
	if err != nil {
		return err
	}
	cert, err := os.ReadFile(files.Path(client + ".crt"))
	if err != nil {
		return err
	}
	key, err := os.ReadFile(files.Path(client + ".key"))
	if err != nil {
		return err
	}
	config := clientcmdapi.NewConfig()
	config.Clusters["default"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: ca}
	config.AuthInfos["default"] = &clientcmdapi.AuthInfo{ClientCertificateData: cert, ClientKeyData: key}
	config.Contexts["default"] = &clientcmdapi.Context{Cluster: "default", AuthInfo: "default"}
	config.CurrentContext = "default"
	return clientcmd.WriteToFile(*config, path)
}
