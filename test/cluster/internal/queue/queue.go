// Package queue runs the work queues of the simulated controllers, as client-go controllers do:
// object keys, each synced by one worker at a time, retried with back-off after an error.
package queue

import (
	"context"

	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
)

// Queue holds namespace/name keys.
type Queue = workqueue.TypedRateLimitingInterface[string]

// Start returns a queue that `workers` goroutines drain with sync until ctx ends.
func Start(ctx context.Context, name string, workers int, sync func(context.Context, string) error) Queue {
	queue := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]())
	go func() {
		<-ctx.Done()
		queue.ShutDown()
	}()
	for range workers {
		go work(ctx, queue, name, sync)
	}
	return queue
}

// Enqueuer is an informer event handler's function that queues the object's key.
func Enqueuer(queue Queue) func(any) {
	return func(object any) {
		if key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(object); err == nil {
			queue.Add(key)
		}
	}
}

func work(ctx context.Context, queue Queue, name string, sync func(context.Context, string) error) {
	for {
		key, quit := queue.Get()
		if quit {
			return
		}
		if err := sync(ctx, key); err != nil {
			klog.V(2).InfoS("sync failed, retrying", "controller", name, "key", key, "err", err)
			queue.AddRateLimited(key)
		} else {
			queue.Forget(key)
		}
		queue.Done(key)
	}
}
