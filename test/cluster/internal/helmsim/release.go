package helmsim

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"time"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/loader"
	"helm.sh/helm/v4/pkg/kube"
	"helm.sh/helm/v4/pkg/storage/driver"
	"k8s.io/cli-runtime/pkg/genericclioptions"
)

// release installs or upgrades one chart with Helm, as k3s's helm-install Job does with
// `helm upgrade --install`: Helm renders the chart with the given values (a wrong value fails
// here, with the chart's own message) and applies the result to the cluster, with a client-side
// apply unless the HelmChart asks for server-side (spec.serverSide).
func release(ctx context.Context, kubeconfig, chartDir, name, namespace string, spec chartSpec, values map[string]any) error {
	getter := genericclioptions.NewConfigFlags(false)
	getter.KubeConfig = &kubeconfig
	getter.Namespace = &namespace
	config := action.NewConfiguration()
	if err := config.Init(getter, namespace, "secret"); err != nil {
		return err
	}
	chart, err := loader.Load(chartDir)
	if err != nil {
		return err
	}
	history := action.NewHistory(config)
	history.Max = 1
	if _, err := history.Run(name); errors.Is(err, driver.ErrReleaseNotFound) {
		install := action.NewInstall(config)
		install.ReleaseName = name
		install.Namespace = namespace
		install.CreateNamespace = spec.CreateNamespace
		install.TakeOwnership = spec.TakeOwnership
		install.ServerSideApply = spec.ServerSide == "true"
		install.Timeout = 5 * time.Minute
		install.WaitStrategy = kube.HookOnlyStrategy
		install.PostRenderer = withoutWebhooks{}
		_, err = install.RunWithContext(ctx, chart, values)
		return err
	} else if err != nil {
		return err
	}
	upgrade := action.NewUpgrade(config)
	upgrade.Namespace = namespace
	upgrade.TakeOwnership = spec.TakeOwnership
	if spec.ServerSide != "" {
		upgrade.ServerSideApply = spec.ServerSide
	}
	upgrade.Timeout = 5 * time.Minute
	upgrade.WaitStrategy = kube.HookOnlyStrategy
	upgrade.PostRenderer = withoutWebhooks{}
	_, err = upgrade.RunWithContext(ctx, name, chart, values)
	return err
}

// withoutWebhooks leaves admission webhook registrations out of what is applied: the charts'
// webhook servers do not run here (no images run), and a registration pointing at one would make
// the API refuse every object it covers.
type withoutWebhooks struct{}

func (withoutWebhooks) Run(rendered *bytes.Buffer) (*bytes.Buffer, error) {
	kept := []string{}
	for _, document := range strings.Split(rendered.String(), "\n---") {
		if strings.Contains(document, "\nkind: ValidatingWebhookConfiguration") || strings.Contains(document, "\nkind: MutatingWebhookConfiguration") {
			continue
		}
		kept = append(kept, document)
	}
	return bytes.NewBufferString(strings.Join(kept, "\n---")), nil
}
