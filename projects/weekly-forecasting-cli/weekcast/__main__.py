from weekcast.cli import main

raise SystemExit(main())
