#!/usr/bin/env python3
"""Writes N users in Clerk's dashboard CSV export format (docs/migration.md, "Clerk") to standard output.

   bench/clerk-users.py N > users.csv

Every user has a unique id and email, a first and last name, a bcrypt digest (one precomputed hash: an import
stores hashes, it does not compute them), and every tenth user a TOTP secret, as a real export has some.
"""
import csv
import sys

BCRYPT = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
HEADER = ["id", "first_name", "last_name", "username", "primary_email_address", "primary_phone_number",
          "verified_email_addresses", "unverified_email_addresses", "verified_phone_numbers",
          "unverified_phone_numbers", "totp_secret", "password_digest", "password_hasher"]


def main():
    n = int(sys.argv[1])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(HEADER)
    for i in range(n):
        email = f"user{i:07d}@bench.example"
        totp = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" if i % 10 == 0 else ""
        out.writerow([f"user_{i:027d}", "First", f"Last{i}", f"user{i}", email, "", email, "", "", "", totp,
                      BCRYPT, "bcrypt"])


if __name__ == "__main__":
    main()
