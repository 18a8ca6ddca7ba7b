"""Allow ``python -m infusion_app`` as well as the ``infusion-app`` console script."""

from infusion_app.launch import main

raise SystemExit(main())
