package kubelet

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/utils/ptr"

	"codex-k8s-install/test/cluster/internal/queue"
)

// Node is the simulated node: its registration, lease, pods and volumes.
type Node struct {
	name   string
	client kubernetes.Interface
	pods   corelisters.PodLister
	lastIP atomic.Uint32
}

// Start registers the node and runs its pod and volume loops until ctx ends.
func Start(ctx context.Context, client kubernetes.Interface, name string) error {
	if err := registerNode(ctx, client, name); err != nil {
		return fmt.Errorf("registering node %s: %w", name, err)
	}
	go keepLease(ctx, client, name)
	factory := informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithTweakListOptions(func(options *metav1.ListOptions) {
		options.FieldSelector = fields.OneTermEqualSelector("spec.nodeName", name).String()
	}))
	node := &Node{
		name:   name,
		client: client,
		pods:   factory.Core().V1().Pods().Lister(),
	}
	enqueue := queue.Enqueuer(queue.Start(ctx, "kubelet", 2, node.sync))
	_, err := factory.Core().V1().Pods().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    enqueue,
		UpdateFunc: func(_, object any) { enqueue(object) },
	})
	if err != nil {
		return err
	}
	factory.Start(ctx.Done())
	factory.WaitForCacheSync(ctx.Done())
	return startVolumes(ctx, client, name)
}

func (node *Node) sync(ctx context.Context, key string) error {
	namespace, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return err
	}
	cached, err := node.pods.Pods(namespace).Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	pod := cached.DeepCopy()
	if pod.DeletionTimestamp != nil {
		// The containers are stopped at once; the kubelet then removes the pod for good.
		err := node.client.CoreV1().Pods(namespace).Delete(ctx, name, metav1.DeleteOptions{
			GracePeriodSeconds: ptr.To[int64](0),
			Preconditions:      &metav1.Preconditions{UID: &pod.UID},
		})
		if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
			return nil
		}
		return err
	}
	if !node.step(pod) {
		return nil
	}
	_, err = node.client.CoreV1().Pods(namespace).UpdateStatus(ctx, pod, metav1.UpdateOptions{})
	return err
}

// step moves a pod's status one step on, as the kubelet reports it: Pending → Running (or a
// fault), and a run-to-completion pod Running → Succeeded or Failed. It says whether it changed.
func (node *Node) step(pod *corev1.Pod) bool {
	status := &pod.Status
	fault := pod.Annotations[FaultAnnotation]
	switch {
	case status.Phase == corev1.PodPending && len(status.ContainerStatuses) == 0:
		node.started(pod)
		switch fault {
		case "ImagePullBackOff":
			imagePullBackOff(pod, status)
		case "CrashLoopBackOff":
			crashLoopBackOff(pod, status)
		default:
			running(pod, status)
		}
		return true
	case status.Phase == corev1.PodRunning && fault == "" && pod.Spec.RestartPolicy != corev1.RestartPolicyAlways && allRunning(status):
		code, err := exitCode(pod)
		if err != nil {
			code = 128
		}
		if code != 0 && pod.Spec.RestartPolicy == corev1.RestartPolicyOnFailure {
			crashLoopBackOff(pod, status)
		} else {
			finished(pod, status, code)
		}
		return true
	}
	return false
}

func (node *Node) started(pod *corev1.Pod) {
	now := metav1.NewTime(time.Now())
	ip := fmt.Sprintf("10.42.0.%d", node.lastIP.Add(1)%250+2)
	pod.Status.StartTime = &now
	pod.Status.HostIP = NodeIP
	pod.Status.HostIPs = []corev1.HostIP{{IP: NodeIP}}
	if pod.Spec.HostNetwork {
		ip = NodeIP
	}
	pod.Status.PodIP = ip
	pod.Status.PodIPs = []corev1.PodIP{{IP: ip}}
}

func allRunning(status *corev1.PodStatus) bool {
	for _, container := range status.ContainerStatuses {
		if container.State.Running == nil {
			return false
		}
	}
	return true
}
