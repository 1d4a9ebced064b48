package kubelet

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"
)

// The storage class k3s ships, served here by a stand-in for its local-path provisioner.
const (
	StorageClass = "local-path"
	provisioner  = "rancher.io/local-path"
)

// startVolumes creates k3s's default storage class and provisions a volume for each claim of it
// once the scheduler picked the node (WaitForFirstConsumer), unless the claim asks to stay pending.
func startVolumes(ctx context.Context, client kubernetes.Interface, node string) error {
	class := &storagev1.StorageClass{
		ObjectMeta: metav1.ObjectMeta{
			Name:        StorageClass,
			Annotations: map[string]string{"storageclass.kubernetes.io/is-default-class": "true"},
		},
		Provisioner:       provisioner,
		ReclaimPolicy:     ptr.To(corev1.PersistentVolumeReclaimDelete),
		VolumeBindingMode: ptr.To(storagev1.VolumeBindingWaitForFirstConsumer),
	}
	if _, err := client.StorageV1().StorageClasses().Create(ctx, class, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("storage class: %w", err)
	}
	factory := informers.NewSharedInformerFactory(client, 0)
	provision := func(object any) {
		claim, ok := object.(*corev1.PersistentVolumeClaim)
		if !ok || !wantsVolume(claim) {
			return
		}
		volume := volumeFor(claim, node)
		if _, err := client.CoreV1().PersistentVolumes().Create(ctx, volume, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			klog.ErrorS(err, "provisioning failed", "claim", claim.Namespace+"/"+claim.Name)
		}
	}
	reclaim := func(object any) {
		volume, ok := object.(*corev1.PersistentVolume)
		if ok && volume.Status.Phase == corev1.VolumeReleased && volume.Annotations["pv.kubernetes.io/provisioned-by"] == provisioner {
			_ = client.CoreV1().PersistentVolumes().Delete(ctx, volume.Name, metav1.DeleteOptions{})
		}
	}
	_, err := factory.Core().V1().PersistentVolumeClaims().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: provision, UpdateFunc: func(_, object any) { provision(object) },
	})
	if err != nil {
		return err
	}
	_, err = factory.Core().V1().PersistentVolumes().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: reclaim, UpdateFunc: func(_, object any) { reclaim(object) },
	})
	if err != nil {
		return err
	}
	factory.Start(ctx.Done())
	return nil
}

func wantsVolume(claim *corev1.PersistentVolumeClaim) bool {
	return claim.Status.Phase == corev1.ClaimPending &&
		claim.Spec.VolumeName == "" &&
		claim.Spec.StorageClassName != nil && *claim.Spec.StorageClassName == StorageClass &&
		claim.Annotations["volume.kubernetes.io/selected-node"] != "" &&
		claim.Annotations[FaultAnnotation] != "VolumePending"
}

func volumeFor(claim *corev1.PersistentVolumeClaim, node string) *corev1.PersistentVolume {
	name := "pvc-" + string(claim.UID)
	return &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        name,
			Annotations: map[string]string{"pv.kubernetes.io/provisioned-by": provisioner},
		},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: claim.Spec.Resources.Requests[corev1.ResourceStorage]},
			AccessModes:                   claim.Spec.AccessModes,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			StorageClassName:              StorageClass,
			VolumeMode:                    claim.Spec.VolumeMode,
			ClaimRef: &corev1.ObjectReference{
				Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: claim.Namespace, Name: claim.Name, UID: claim.UID,
			},
			PersistentVolumeSource: corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{
				Path: fmt.Sprintf("/var/lib/rancher/k3s/storage/%s_%s_%s", name, claim.Namespace, claim.Name),
				Type: ptr.To(corev1.HostPathDirectoryOrCreate),
			}},
			NodeAffinity: &corev1.VolumeNodeAffinity{Required: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
				MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "kubernetes.io/hostname", Operator: corev1.NodeSelectorOpIn, Values: []string{node}}},
			}}}},
		},
	}
}
