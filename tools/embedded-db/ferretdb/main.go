// Command ferretdb runs an embedded FerretDB (MongoDB wire protocol on SQLite)
// for the livechat example app and tests. It prints its MongoDB URL on the
// first line of standard output once it accepts connections, and stops on
// SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (port 0 picks a free one)")
	dataDir := flag.String("data", ".data", "folder that keeps the SQLite files")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	stopOnStdinClose := flag.Bool("stop-on-stdin-close", false, "stop when standard input closes (when the parent process is gone)")
	flag.Parse()

	if err := run(*listen, *dataDir, *logLevel, *stopOnStdinClose); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(listen, dataDir, logLevel string, stopOnStdinClose bool) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	absData, err := privateDataDir(dataDir)
	if err != nil {
		return err
	}

	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + absData + "/?" + sqlitePragmas,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if stopOnStdinClose {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	fmt.Println(db.MongoDBURI())
	return db.Run(ctx)
}

// secure_delete overwrites deleted content with zeros, in the database file and in the pages the
// write-ahead log takes; journal_size_limit(0) truncates the log after each checkpoint, so that
// older copies of pages do not stay in it.
const sqlitePragmas = "_pragma=secure_delete(on)&_pragma=journal_size_limit(0)"

// privateDataDir makes the data folder readable by its owner only (0700, its files 0600), also when
// it exists already, and has every file created later be private too.
func privateDataDir(dataDir string) (string, error) {
	syscall.Umask(0o077)
	absData, err := filepath.Abs(dataDir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(absData, 0o700); err != nil {
		return "", err
	}
	if err := os.Chmod(absData, 0o700); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(absData)
	if err != nil {
		return "", err
	}
	for _, entry := range entries {
		if entry.Type().IsRegular() {
			if err := os.Chmod(filepath.Join(absData, entry.Name()), 0o600); err != nil {
				return "", err
			}
		}
	}
	return absData, nil
}
