package helmsim

import (
	"context"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"
)

// Names and keys as helm-controller uses them.
const (
	labelChart    = "helmcharts.helm.cattle.io/chart"
	keyConfigHash = "helmcharts.helm.cattle.io/configHash"
	jobImage      = "rancher/klipper-helm:v0.9.8-build20250709"
	// The simulated kubelet runs the Job's pod to this exit code, with this termination message:
	// what the helm container would have printed.
	exitCodeAnnotation    = "kcluster.test/exit-code"
	terminationAnnotation = "kcluster.test/termination-message"
)

func jobName(chart *unstructured.Unstructured) string { return "helm-install-" + chart.GetName() }

// ensureJob (re)creates the chart's helm-install Job for this configuration; its pod ends as the
// Helm run ended: exit 0, or exit 1 with Helm's error as its message.
func ensureJob(ctx context.Context, client kubernetes.Interface, chart *unstructured.Unstructured, spec chartSpec, hash string, helmErr error) error {
	namespace, account := chart.GetNamespace(), "helm-"+chart.GetName()
	if err := ensureAccount(ctx, client, namespace, account); err != nil {
		return err
	}
	jobs := client.BatchV1().Jobs(namespace)
	existing, err := jobs.Get(ctx, jobName(chart), metav1.GetOptions{})
	if err == nil && existing.Spec.Template.Annotations[keyConfigHash] == "SHA256="+hash {
		return nil
	}
	if err == nil {
		if err := jobs.Delete(ctx, existing.Name, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationBackground)}); err != nil && !apierrors.IsNotFound(err) {
			return err
		}
		err = wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
			_, err := jobs.Get(ctx, existing.Name, metav1.GetOptions{})
			return apierrors.IsNotFound(err), nil
		})
		if err != nil {
			return err
		}
	} else if !apierrors.IsNotFound(err) {
		return err
	}
	annotations := map[string]string{keyConfigHash: "SHA256=" + hash, exitCodeAnnotation: "0"}
	if helmErr != nil {
		annotations[exitCodeAnnotation] = "1"
		annotations[terminationAnnotation] = "Error: " + helmErr.Error()
	}
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name:      jobName(chart),
			Namespace: namespace,
			Labels:    map[string]string{labelChart: chart.GetName()},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: chart.GetAPIVersion(), Kind: chart.GetKind(), Name: chart.GetName(), UID: chart.GetUID(),
			}},
		},
		Spec: batchv1.JobSpec{
			BackoffLimit: ptr.To(ptr.Deref(spec.BackOffLimit, 1000)),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{labelChart: chart.GetName()}, Annotations: annotations},
				Spec: corev1.PodSpec{
					RestartPolicy:      corev1.RestartPolicyOnFailure,
					ServiceAccountName: account,
					Containers: []corev1.Container{{
						Name:  "helm",
						Image: jobImage,
						Args:  []string{"install"},
						Env: []corev1.EnvVar{
							{Name: "NAME", Value: chart.GetName()},
							{Name: "VERSION", Value: spec.Version},
							{Name: "CHART", Value: spec.Chart},
							{Name: "TARGET_NAMESPACE", Value: targetNamespace(chart, spec)},
						},
					}},
				},
			},
		},
	}
	_, err = jobs.Create(ctx, job, metav1.CreateOptions{})
	return err
}

// ensureAccount gives the Job's service account cluster-admin, as helm-controller does.
func ensureAccount(ctx context.Context, client kubernetes.Interface, namespace, account string) error {
	_, err := client.CoreV1().ServiceAccounts(namespace).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: account}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "helm-" + namespace + "-" + account[len("helm-"):]},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "cluster-admin"},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: account, Namespace: namespace}},
	}
	_, err = client.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	return nil
}

func targetNamespace(chart *unstructured.Unstructured, spec chartSpec) string {
	if spec.TargetNamespace != "" {
		return spec.TargetNamespace
	}
	return chart.GetNamespace()
}

func jobFailed(job *batchv1.Job) bool {
	for _, condition := range job.Status.Conditions {
		if condition.Type == batchv1.JobFailed && condition.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}
