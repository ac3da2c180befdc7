//go:build !unix

package project

import "os"

func readFile(name string) ([]byte, error) { return os.ReadFile(name) }
