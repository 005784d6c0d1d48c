module pyrometer.dev/hack/chart-render

go 1.19
