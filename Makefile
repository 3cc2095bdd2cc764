# Logistics exception suite: the two commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup run test lint format bench

help:
	@echo "make run    set up what is missing, create/update database logistics_demo, serve it on :8069"
	@echo "make test   set up what is missing, fresh test database, pytest (with browser tours), linters"
	@echo "make lint   ruff, pylint-odoo and ESLint only"
	@echo "make bench  run the benchmarks under bench/ against the test database"

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh

test: setup
	@bash scripts/test.sh

lint: setup
	@bash scripts/lint.sh

format: setup
	@bash scripts/format.sh

bench: setup
	@bash scripts/bench.sh
