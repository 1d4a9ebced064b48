package kubelet

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// What a test asks of the simulated node, by annotation on a pod (or its template) or a claim.
const (
	// FaultAnnotation: ImagePullBackOff or CrashLoopBackOff on a pod, VolumePending on a claim.
	FaultAnnotation = "kcluster.test/fault"
	// ExitCodeAnnotation: the exit code of a run-to-completion pod's containers (default 0).
	ExitCodeAnnotation = "kcluster.test/exit-code"
	// MessageAnnotation: what the containers leave as their termination message.
	MessageAnnotation = "kcluster.test/termination-message"
)

// normalizedImage names an image the way containerd reports it in a container status.
func normalizedImage(image string) string {
	name := image
	if first, _, found := strings.Cut(image, "/"); !found || !strings.ContainsAny(first, ".:") && first != "localhost" {
		if !found {
			name = "library/" + name
		}
		name = "docker.io/" + name
	}
	if !strings.Contains(name[strings.LastIndex(name, "/")+1:], ":") && !strings.Contains(name, "@") {
		name += ":latest"
	}
	return name
}

func digest(text string) string {
	return fmt.Sprintf("%x", sha256.Sum256([]byte(text)))
}

func imageID(image string) string {
	name := normalizedImage(image)
	if at := strings.Index(name, "@"); at >= 0 {
		return name
	}
	return name[:strings.LastIndex(name, ":")] + "@sha256:" + digest(image)
}

func containerStatus(pod *corev1.Pod, container corev1.Container, state corev1.ContainerState, ready bool) corev1.ContainerStatus {
	return corev1.ContainerStatus{
		Name:        container.Name,
		Image:       normalizedImage(container.Image),
		ImageID:     imageID(container.Image),
		ContainerID: "containerd://" + digest(string(pod.UID)+container.Name),
		State:       state,
		Ready:       ready,
		Started:     &ready,
	}
}

func podCondition(kind corev1.PodConditionType, status corev1.ConditionStatus, reason, message string) corev1.PodCondition {
	return corev1.PodCondition{Type: kind, Status: status, Reason: reason, Message: message, LastTransitionTime: metav1.Now()}
}

// withConditions keeps the scheduler's PodScheduled condition and sets the kubelet's own.
func withConditions(status *corev1.PodStatus, conditions ...corev1.PodCondition) {
	kept := []corev1.PodCondition{}
	for _, condition := range status.Conditions {
		if condition.Type == corev1.PodScheduled {
			kept = append(kept, condition)
		}
	}
	status.Conditions = append(kept, conditions...)
}

func unready(pod *corev1.Pod, reason string) []corev1.PodCondition {
	names := []string{}
	for _, container := range pod.Spec.Containers {
		names = append(names, container.Name)
	}
	message := fmt.Sprintf("containers with unready status: [%s]", strings.Join(names, " "))
	if reason != "ContainersNotReady" {
		message = ""
	}
	return []corev1.PodCondition{
		podCondition(corev1.PodReadyToStartContainers, corev1.ConditionTrue, "", ""),
		podCondition(corev1.PodInitialized, corev1.ConditionTrue, "", ""),
		podCondition(corev1.PodReady, corev1.ConditionFalse, reason, message),
		podCondition(corev1.ContainersReady, corev1.ConditionFalse, reason, message),
	}
}

func initContainersDone(pod *corev1.Pod, status *corev1.PodStatus) {
	status.InitContainerStatuses = nil
	for _, container := range pod.Spec.InitContainers {
		done := corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed", StartedAt: metav1.Now(), FinishedAt: metav1.Now()}}
		status.InitContainerStatuses = append(status.InitContainerStatuses, containerStatus(pod, container, done, false))
	}
}

// running is the status of a pod whose containers all started and pass their probes.
func running(pod *corev1.Pod, status *corev1.PodStatus) {
	status.Phase = corev1.PodRunning
	initContainersDone(pod, status)
	status.ContainerStatuses = nil
	for _, container := range pod.Spec.Containers {
		state := corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.Now()}}
		status.ContainerStatuses = append(status.ContainerStatuses, containerStatus(pod, container, state, true))
	}
	withConditions(status,
		podCondition(corev1.PodReadyToStartContainers, corev1.ConditionTrue, "", ""),
		podCondition(corev1.PodInitialized, corev1.ConditionTrue, "", ""),
		podCondition(corev1.PodReady, corev1.ConditionTrue, "", ""),
		podCondition(corev1.ContainersReady, corev1.ConditionTrue, "", ""),
	)
}

// finished is the status of a run-to-completion pod whose containers exited with exitCode.
func finished(pod *corev1.Pod, status *corev1.PodStatus, exitCode int32) {
	phase, reason, podReason := corev1.PodSucceeded, "Completed", "PodCompleted"
	if exitCode != 0 {
		phase, reason, podReason = corev1.PodFailed, "Error", "PodFailed"
	}
	status.Phase = phase
	status.ContainerStatuses = nil
	for _, container := range pod.Spec.Containers {
		started := metav1.Now()
		if previous := findStatus(pod.Status.ContainerStatuses, container.Name); previous != nil && previous.State.Running != nil {
			started = previous.State.Running.StartedAt
		}
		state := corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: exitCode, Reason: reason, StartedAt: started, FinishedAt: metav1.Now(), Message: pod.Annotations[MessageAnnotation],
			ContainerID: "containerd://" + digest(string(pod.UID)+container.Name),
		}}
		status.ContainerStatuses = append(status.ContainerStatuses, containerStatus(pod, container, state, false))
	}
	conditions := unready(pod, podReason)
	conditions[0] = podCondition(corev1.PodReadyToStartContainers, corev1.ConditionFalse, "", "")
	withConditions(status, conditions...)
}

// imagePullBackOff is the status of a pod whose image cannot be pulled.
func imagePullBackOff(pod *corev1.Pod, status *corev1.PodStatus) {
	status.Phase = corev1.PodPending
	status.ContainerStatuses = nil
	for _, container := range pod.Spec.Containers {
		state := corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
			Reason:  "ImagePullBackOff",
			Message: fmt.Sprintf("Back-off pulling image %q: ErrImagePull: failed to pull and unpack image %q: not found", container.Image, normalizedImage(container.Image)),
		}}
		containerStatus := containerStatus(pod, container, state, false)
		containerStatus.ImageID, containerStatus.ContainerID = "", ""
		status.ContainerStatuses = append(status.ContainerStatuses, containerStatus)
	}
	withConditions(status, unready(pod, "ContainersNotReady")...)
}

// crashLoopBackOff is the status of a pod whose containers keep exiting with an error.
func crashLoopBackOff(pod *corev1.Pod, status *corev1.PodStatus) {
	status.Phase = corev1.PodRunning
	initContainersDone(pod, status)
	status.ContainerStatuses = nil
	for _, container := range pod.Spec.Containers {
		state := corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
			Reason:  "CrashLoopBackOff",
			Message: fmt.Sprintf("back-off 1m20s restarting failed container=%s pod=%s_%s(%s)", container.Name, pod.Name, pod.Namespace, pod.UID),
		}}
		containerStatus := containerStatus(pod, container, state, false)
		containerStatus.RestartCount = 4
		containerStatus.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: 1, Reason: "Error", StartedAt: metav1.Now(), FinishedAt: metav1.Now(), ContainerID: containerStatus.ContainerID,
			Message: pod.Annotations[MessageAnnotation],
		}}
		status.ContainerStatuses = append(status.ContainerStatuses, containerStatus)
	}
	withConditions(status, unready(pod, "ContainersNotReady")...)
}

func findStatus(statuses []corev1.ContainerStatus, name string) *corev1.ContainerStatus {
	for index := range statuses {
		if statuses[index].Name == name {
			return &statuses[index]
		}
	}
	return nil
}

func exitCode(pod *corev1.Pod) (int32, error) {
	text, ok := pod.Annotations[ExitCodeAnnotation]
	if !ok {
		return 0, nil
	}
	code, err := strconv.ParseInt(text, 10, 32)
	return int32(code), err
}
