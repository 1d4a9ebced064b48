package helmsim

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"helm.sh/helm/v4/pkg/strvals"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// chartSpec is the part of helm-controller's HelmChartSpec this stand-in acts on.
type chartSpec struct {
	TargetNamespace string                        `json:"targetNamespace,omitempty"`
	CreateNamespace bool                          `json:"createNamespace,omitempty"`
	Chart           string                        `json:"chart,omitempty"`
	Version         string                        `json:"version,omitempty"`
	Set             map[string]intstr.IntOrString `json:"set,omitempty"`
	Values          map[string]any                `json:"values,omitempty"`
	ValuesContent   string                        `json:"valuesContent,omitempty"`
	TakeOwnership   bool                          `json:"takeOwnership,omitempty"`
	ServerSide      string                        `json:"serverSide,omitempty"`
	BackOffLimit    *int32                        `json:"backOffLimit,omitempty"`
}

type configSpec struct {
	Values        map[string]any `json:"values,omitempty"`
	ValuesContent string         `json:"valuesContent,omitempty"`
}

func decode(object *unstructured.Unstructured, into any) error {
	spec, _, err := unstructured.NestedFieldNoCopy(object.Object, "spec")
	if err != nil || spec == nil {
		return err
	}
	content, err := json.Marshal(spec)
	if err != nil {
		return err
	}
	return json.Unmarshal(content, into)
}

// values merges what helm-controller passes to Helm, in its order: the chart's values and
// valuesContent, its --set pairs, then the HelmChartConfig's values and valuesContent.
func values(chart chartSpec, config *configSpec) (map[string]any, error) {
	merged := map[string]any{}
	layer := func(values map[string]any, content string) error {
		merge(merged, values)
		parsed := map[string]any{}
		if err := yaml.Unmarshal([]byte(content), &parsed); err != nil {
			return fmt.Errorf("valuesContent: %w", err)
		}
		merge(merged, parsed)
		return nil
	}
	if err := layer(chart.Values, chart.ValuesContent); err != nil {
		return nil, err
	}
	for key, value := range chart.Set {
		if err := strvals.ParseInto(key+"="+value.String(), merged); err != nil {
			return nil, err
		}
	}
	if config != nil {
		if err := layer(config.Values, config.ValuesContent); err != nil {
			return nil, err
		}
	}
	return merged, nil
}

func merge(into, from map[string]any) {
	for key, value := range from {
		nested, isMap := value.(map[string]any)
		existing, wasMap := into[key].(map[string]any)
		if isMap && wasMap {
			merge(existing, nested)
			continue
		}
		into[key] = value
	}
}

func fingerprint(parts ...any) string {
	content, _ := json.Marshal(parts)
	return fmt.Sprintf("%X", sha256.Sum256(content))
}
