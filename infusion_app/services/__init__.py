"""One function per user action: authorise, validate with logic, append in one transaction."""
