package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chromedp/chromedp"
)

// rendererMemory returns the proportional set size (PSS), in bytes, of the
// renderer processes of the browser that ctx drives: the pages, their
// frames and their dedicated and shared workers. PSS divides shared pages
// among the processes that map them, so the sum is what the renderers
// cost the machine.
func rendererMemory(ctx context.Context) (int64, error) {
	c := chromedp.FromContext(ctx)
	if c == nil || c.Browser == nil || c.Browser.Process() == nil {
		return 0, errors.New("no browser process to measure")
	}
	children, err := processTree()
	if err != nil {
		return 0, err
	}
	var total int64
	var walk func(pid int)
	walk = func(pid int) {
		for _, child := range children[pid] {
			if cmd, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(child), "cmdline")); err == nil && bytes.Contains(cmd, []byte("--type=renderer")) {
				total += pss(child)
			}
			walk(child)
		}
	}
	walk(c.Browser.Process().Pid)
	if total == 0 {
		return 0, errors.New("found no renderer process of the browser")
	}
	return total, nil
}

// processTree maps each process to its children, from /proc.
func processTree() (map[int][]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("reading /proc (the memory figures need Linux): %w", err)
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// The command name, in parentheses, may hold spaces: the parent
		// pid is the second field after its closing parenthesis.
		rest := stat[bytes.LastIndexByte(stat, ')')+1:]
		fields := strings.Fields(string(rest))
		if len(fields) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(fields[1]); err == nil {
			children[ppid] = append(children[ppid], pid)
		}
	}
	return children, nil
}

// pss reads a process's proportional set size in bytes (0 if it is gone).
func pss(pid int) int64 {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "smaps_rollup"))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if kb, ok := strings.CutPrefix(sc.Text(), "Pss:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 10, 64)
			return n << 10
		}
	}
	return 0
}
