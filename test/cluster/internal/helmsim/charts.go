package helmsim

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The chart sources build.sh copies in from their pinned Go modules.
//
//go:embed all:charts
var embedded embed.FS

// extractCharts writes the embedded charts under dir, so Helm's loader reads them as a chart
// directory, and returns the names of those present.
func extractCharts(dir string) (map[string]string, error) {
	charts := map[string]string{}
	entries, err := embedded.ReadDir("charts")
	if err != nil {
		return nil, err
	}
	for _, entry := range entries {
		if !entry.IsDir() {
			continue
		}
		charts[entry.Name()] = filepath.Join(dir, entry.Name())
	}
	err = fs.WalkDir(embedded, "charts", func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		target := filepath.Join(dir, strings.TrimPrefix(path, "charts/"))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		content, err := embedded.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, content, 0o644)
	})
	return charts, err
}

// chartName is the chart a HelmChart's spec.chart names, whether by repository name,
// OCI reference or URL of a packaged chart.
func chartName(reference string) string {
	name := reference[strings.LastIndex(reference, "/")+1:]
	name = strings.TrimSuffix(name, ".tgz")
	if at := strings.LastIndex(name, ":"); at > 0 {
		name = name[:at]
	}
	return name
}
