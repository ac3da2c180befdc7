package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/serve"
	"github.com/balikpapan/humas/publish/usecase"
)

// ServeOptions are the inputs of humas serve.
type ServeOptions struct {
	f    *Factory
	Port int
	Bind string
}

func newCmdServe(f *Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{f: f}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the site and a preview of every release, rebuilt and reloaded on every change",
		Long: `Build the site into a temporary folder and serve it on this computer. Every change
to releases/, templates/ or humas.yaml rebuilds it, and open pages reload by
themselves. The preview of each release (its article and every post) is at
/_preview/<slug>/. A release with an error shows the error in the browser.

Only this computer can connect unless --bind says otherwise.`,
		Example: `  humas serve
  humas serve --port 8080
  humas serve -C ~/siaran-pers --bind 0.0.0.0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runServe(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.Port, "port", 1313, "`PORT` to listen on; 0 picks a free one")
	cmd.Flags().StringVar(&opts.Bind, "bind", "127.0.0.1", "`ADDRESS` to listen on; 0.0.0.0 lets other computers connect")
	return cmd
}

func runServe(ctx context.Context, opts *ServeOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.f
	if opts.Port < 0 || opts.Port > 65535 {
		return invalid(fmt.Errorf("--port %d: use 0 to 65535", opts.Port))
	}
	// Serving a folder that is not a project would show an empty site.
	if _, err := openProject(f, usecase.Target{Dir: f.Dir, Whole: true}); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(opts.Port)))
	if err != nil {
		return err
	}
	srv, err := serve.New(serve.Options{
		Build: serve.ProjectBuilder(f.Dir, previewPage(f), f.IO.Err),
		Watch: serve.WatchPaths(f.Dir),
		Log:   f.IO.Err,
	})
	if err != nil {
		ln.Close()
		return err
	}
	return srv.Run(ctx, ln, func(url string) {
		fmt.Fprintf(f.IO.Out, "serving %s\n", url)
		fmt.Fprintf(f.IO.Err, "previews at %s_preview/; press Ctrl+C to stop\n", url)
	})
}
