#!/usr/bin/env bash
# Prepares a fresh Debian machine for RobustLab: installs what is missing (JDK 17, Maven, PostgreSQL,
# Fashion-MNIST, NumPy for the .npz check, PyTorch for the interop tests, Chromium for the report check, Prometheus for the metrics
# check) and makes sure PostgreSQL answers on 127.0.0.1:5432.
# Safe to run again: it installs nothing that is already there.
set -euo pipefail

SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
fresh_postgres=0
command -v psql >/dev/null 2>&1 || { need+=(postgresql); fresh_postgres=1; }
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v python3 >/dev/null 2>&1 || need+=(python3)
have_pkg dataset-fashion-mnist || need+=(dataset-fashion-mnist)
python3 -c 'import numpy' 2>/dev/null || /usr/bin/python3 -c 'import numpy' 2>/dev/null || need+=(python3-numpy)
# PyTorch is the independent peer: model interop (export/import) tests and reference checks run it.
/usr/bin/python3 -c 'import torch' 2>/dev/null || need+=(python3-torch libopenblas0-pthread)
# The experiment report's HTML is checked in headless Chromium by the tests.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The metrics test runs a real Prometheus against the services (promtool checks its configuration).
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
# Sample grids draw their labels with a font.
[ -n "$(fc-list 2>/dev/null | head -n 1)" ] || need+=(fonts-dejavu-core fontconfig)

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "setup: starting PostgreSQL"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if [ "$fresh_postgres" = 1 ]; then
  # A development machine's own server: let local TCP connections in without a password, as the
  # defaults (user postgres, no password) expect. Never do this on a shared server.
  hba=$(ls /etc/postgresql/*/main/pg_hba.conf | sort -V | tail -n 1)
  $SUDO sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$hba"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main reload
fi
pg_isready -h 127.0.0.1 -p 5432
