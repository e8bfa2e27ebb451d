/* stand-in for iframe-worker 1.0.4 shim (tests only) */
