from __future__ import annotations

from model_artifacts.cli import main

raise SystemExit(main())
