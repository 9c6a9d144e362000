from briefings.cli import main

raise SystemExit(main())
