// Package parallel runs independent, indexed pieces of work on a few goroutines.
package parallel

import "sync"

// For calls fn(i) for every i in [0, n) on at most workers goroutines and returns
// when all calls have. fn must be safe to call concurrently; results go by index.
func For(n, workers int, fn func(i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	jobs := make(chan int, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				fn(i)
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}
