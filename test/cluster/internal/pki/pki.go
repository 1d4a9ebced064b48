// Package pki makes the cluster's certificate authority and the certificates and keys its parts
// use, once per data directory: a restarted server keeps its identity, as k3s does.
package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Files names what Ensure leaves in the TLS directory.
type Files struct {
	Dir string
}

func (f Files) Path(name string) string { return filepath.Join(f.Dir, name) }

// Client is one client identity: its certificate's common name and organisations.
type Client struct {
	File string
	CN   string
	Orgs []string
}

// Clients are the identities the control plane's parts use; RBAC's bootstrap policy knows
// each of them by name.
var Clients = []Client{
	{File: "admin", CN: "system:admin", Orgs: []string{"system:masters"}},
	{File: "controller-manager", CN: "system:kube-controller-manager"},
	{File: "scheduler", CN: "system:kube-scheduler"},
}

// Ensure makes whatever of the CA, serving certificate, client certificates and service
// account key is missing in dir.
func Ensure(dir string) (Files, error) {
	files := Files{Dir: dir}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return files, err
	}
	caCert, caKey, err := ensureCA(files)
	if err != nil {
		return files, err
	}
	serving := &x509.Certificate{
		Subject:     pkix.Name{CommonName: "kube-apiserver"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv4(10, 43, 0, 1)},
	}
	if err := ensureLeaf(files, "server", serving, caCert, caKey); err != nil {
		return files, err
	}
	for _, client := range Clients {
		template := &x509.Certificate{
			Subject:     pkix.Name{CommonName: client.CN, Organization: client.Orgs},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		}
		if err := ensureLeaf(files, client.File, template, caCert, caKey); err != nil {
			return files, err
		}
	}
	return files, ensureServiceAccountKey(files)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func ensureCA(files Files) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	certPath, keyPath := files.Path("ca.crt"), files.Path("ca.key")
	if !exists(certPath) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		template := &x509.Certificate{
			Subject:               pkix.Name{CommonName: "kcluster-ca"},
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageCRLSign,
		}
		if err := sign(template, template, &key.PublicKey, key, certPath, keyPath, key); err != nil {
			return nil, nil, err
		}
	}
	return load(certPath, keyPath)
}

func ensureLeaf(files Files, name string, template, caCert *x509.Certificate, caKey *ecdsa.PrivateKey) error {
	certPath, keyPath := files.Path(name+".crt"), files.Path(name+".key")
	if exists(certPath) {
		return nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	template.KeyUsage = x509.KeyUsageDigitalSignature
	return sign(template, caCert, &key.PublicKey, caKey, certPath, keyPath, key)
}

func sign(template, parent *x509.Certificate, public *ecdsa.PublicKey, signer *ecdsa.PrivateKey, certPath, keyPath string, key *ecdsa.PrivateKey) error {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return err
	}
	template.SerialNumber = serial
	template.NotBefore = time.Now().Add(-time.Hour)
	template.NotAfter = time.Now().Add(10 * 365 * 24 * time.Hour)
	der, err := x509.CreateCertificate(rand.Reader, template, parent, public, signer)
	if err != nil {
		return err
	}
	if err := writeKey(keyPath, key); err != nil {
		return err
	}
	return os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
}

func writeKey(path string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600)
}

func ensureServiceAccountKey(files Files) error {
	keyPath, pubPath := files.Path("service-account.key"), files.Path("service-account.pub")
	if exists(keyPath) && exists(pubPath) {
		return nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	if err := writeKey(keyPath, key); err != nil {
		return err
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	return os.WriteFile(pubPath, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600)
}

func load(certPath, keyPath string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, err
	}
	certBlock, _ := pem.Decode(certPEM)
	keyBlock, _ := pem.Decode(keyPEM)
	if certBlock == nil || keyBlock == nil {
		return nil, nil, errors.New("unreadable CA files in " + filepath.Dir(certPath))
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("CA certificate: %w", err)
	}
	key, err := x509.ParseECPrivateKey(keyBlock.Bytes)
	return cert, key, err
}
