// Package helmsim stands in for k3s's helm-controller: it installs the HelmChart and
// HelmChartConfig CRDs and, for each HelmChart whose chart source ships in a pinned Go module,
// runs Helm against the cluster and completes (or fails) a helm-install Job as k3s's would.
// Charts whose source is not available here (Traefik, bundled inside k3s) stay recorded objects.
package helmsim

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"

	batchv1 "k8s.io/api/batch/v1"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	batchlisters "k8s.io/client-go/listers/batch/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"

	"codex-k8s-install/test/cluster/internal/queue"
)

var (
	chartsResource  = schema.GroupVersionResource{Group: "helm.cattle.io", Version: "v1", Resource: "helmcharts"}
	configsResource = schema.GroupVersionResource{Group: "helm.cattle.io", Version: "v1", Resource: "helmchartconfigs"}
)

type controller struct {
	client     kubernetes.Interface
	dynamic    dynamic.Interface
	kubeconfig string
	sources    map[string]string
	charts     cache.GenericLister
	configs    cache.GenericLister
	jobs       batchlisters.JobLister
	queue      queue.Queue
	// applied remembers the configuration each chart was last released with.
	applied map[string]string
}

// Start installs the CRDs and runs the controller until ctx ends. kubeconfig is the admin
// kubeconfig Helm uses; dataDir receives the extracted charts.
func Start(ctx context.Context, config *rest.Config, kubeconfig, dataDir string) error {
	extensions, err := apiextensions.NewForConfig(config)
	if err != nil {
		return err
	}
	if err := installDefinitions(ctx, extensions); err != nil {
		return fmt.Errorf("helm-controller CRDs: %w", err)
	}
	sources, err := extractCharts(filepath.Join(dataDir, "charts"))
	if err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	dynamicClient, err := dynamic.NewForConfig(config)
	if err != nil {
		return err
	}
	dynamicFactory := dynamicinformer.NewDynamicSharedInformerFactory(dynamicClient, 0)
	factory := informers.NewSharedInformerFactory(client, 0)
	c := &controller{
		client: client, dynamic: dynamicClient, kubeconfig: kubeconfig, sources: sources,
		charts:  dynamicFactory.ForResource(chartsResource).Lister(),
		configs: dynamicFactory.ForResource(configsResource).Lister(),
		jobs:    factory.Batch().V1().Jobs().Lister(),
		applied: map[string]string{},
	}
	// One worker: applied is not shared between goroutines.
	c.queue = queue.Start(ctx, "helm-controller", 1, c.sync)
	enqueue := queue.Enqueuer(c.queue)
	handler := cache.ResourceEventHandlerFuncs{AddFunc: enqueue, UpdateFunc: func(_, object any) { enqueue(object) }, DeleteFunc: enqueue}
	for _, resource := range []schema.GroupVersionResource{chartsResource, configsResource} {
		if _, err := dynamicFactory.ForResource(resource).Informer().AddEventHandler(handler); err != nil {
			return err
		}
	}
	_, err = factory.Batch().V1().Jobs().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		UpdateFunc: func(_, object any) {
			if job, ok := object.(*batchv1.Job); ok && job.Labels[labelChart] != "" {
				c.queue.Add(job.Namespace + "/" + job.Labels[labelChart])
			}
		},
	})
	if err != nil {
		return err
	}
	dynamicFactory.Start(ctx.Done())
	factory.Start(ctx.Done())
	dynamicFactory.WaitForCacheSync(ctx.Done())
	factory.WaitForCacheSync(ctx.Done())
	return nil
}

func (c *controller) sync(ctx context.Context, key string) error {
	namespace, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return err
	}
	object, err := c.charts.ByNamespace(namespace).Get(name)
	if apierrors.IsNotFound(err) {
		delete(c.applied, key)
		return nil
	}
	if err != nil {
		return err
	}
	chart := object.(*unstructured.Unstructured)
	var spec chartSpec
	if err := decode(chart, &spec); err != nil {
		return err
	}
	source, known := c.sources[chartName(spec.Chart)]
	if !known || chart.GetDeletionTimestamp() != nil {
		return nil
	}
	var config *configSpec
	if found, err := c.configs.ByNamespace(namespace).Get(name); err == nil {
		config = &configSpec{}
		if err := decode(found.(*unstructured.Unstructured), config); err != nil {
			return err
		}
	}
	hash := fingerprint(spec, config)
	if c.applied[key] != hash {
		merged, helmErr := values(spec, config)
		if helmErr == nil {
			helmErr = release(ctx, c.kubeconfig, source, name, targetNamespace(chart, spec), spec, merged)
		}
		if helmErr != nil {
			klog.InfoS("helm failed", "chart", key, "err", helmErr)
		}
		if err := ensureJob(ctx, c.client, chart, spec, hash, helmErr); err != nil {
			return err
		}
		c.applied[key] = hash
	}
	return c.updateStatus(ctx, chart)
}

// updateStatus writes the conditions helm-controller writes: the Job created and, once the Job
// has used up its retries, failed.
func (c *controller) updateStatus(ctx context.Context, chart *unstructured.Unstructured) error {
	failed := false
	if job, err := c.jobs.Jobs(chart.GetNamespace()).Get(jobName(chart)); err == nil {
		failed = jobFailed(job)
	}
	conditions := []any{
		map[string]any{
			"type": "JobCreated", "status": "True", "reason": "Job created",
			"message": fmt.Sprintf("Applying HelmChart using Job %s/%s", chart.GetNamespace(), jobName(chart)),
		},
		map[string]any{"type": "Failed", "status": "False"},
	}
	if failed {
		conditions[1] = map[string]any{
			"type": "Failed", "status": "True", "reason": "Job failed",
			"message": "Job has reached configured number of retries without succeeding",
		}
	}
	status := map[string]any{"jobName": jobName(chart), "conditions": conditions}
	if current, _, _ := unstructured.NestedMap(chart.Object, "status"); reflect.DeepEqual(current, status) {
		return nil
	}
	updated := chart.DeepCopy()
	updated.Object["status"] = status
	_, err := c.dynamic.Resource(chartsResource).Namespace(chart.GetNamespace()).UpdateStatus(ctx, updated, metav1.UpdateOptions{})
	return err
}
