# 两条命令：make serve（安装并预览）与 make test（安装并运行全部测试）。
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime
DEV := $(VENV)/.dev
export NO_MKDOCS_2_WARNING := 1
CONFIG ?= mkdocs.yml
HOST ?= 127.0.0.1
PORT ?= 8000
# Values a user gives (DEST, FILE, YEAR, OUT, CONFIG …) are data, never Makefile or shell code: taken
# unexpanded ($(value …): DEST='$(shell …)' stays those characters) and passed single-quoted
# (DEST='x"; touch X' is one odd folder name). The Python commands check them and refuse in Chinese.
arg = '$(subst ','\'',$(value $(1)))'
# GNU make would also export every command-line variable to each recipe's environment, expanding its
# value to do so (DEST='$(shell …)' would run): those variables are not exported; recipes get them as
# arguments (arg above). REDACTED on the command line reaches make offline explicitly.
unexport $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(v)))

.PHONY: serve test test-fast build check lint clean build-redacted offline schemas lock

# Runtime (what make build and make publish need; the intranet server installs only this) and
# dev/test tools are locked separately with hashes: requirements/runtime.txt, requirements/dev.txt.
$(RUNTIME): pyproject.toml requirements/runtime.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/runtime.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(RUNTIME)

$(DEV): $(RUNTIME) requirements/dev.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $(DEV)

## make serve: 安装依赖并在 http://127.0.0.1:8000 预览（保存即刷新；只重建改动涉及的年度，见 macros/site/preview.py）
serve: $(RUNTIME)
	$(BIN)/mkdocs serve --dirty --dev-addr $(call arg,HOST):$(call arg,PORT) --livereload

## make test: 安装依赖并运行全部测试（含真实站点、浏览器与 nginx 测试）
test: lint
	$(BIN)/python -m pytest -q

## make test-fast: 开发时常用：进程内单元测试与小型夹具站点（不含 e2e 标记的测试）
test-fast: $(DEV)
	$(BIN)/python -m pytest -q -m "not e2e" -n auto --hypothesis-profile=dev

## make build: 严格模式构建到 site/；先构建到临时目录，成功后才替换，失败时 site/ 不变（同 make publish DEST=site）
build: $(RUNTIME)
	$(BIN)/python -m deploy.publish site

## make lint: ruff, and the rooms' import contracts (import-linter, pyproject.toml [tool.importlinter])
lint: $(DEV)
	$(BIN)/ruff check macros tests deploy benchmarks tools examples
	$(BIN)/lint-imports --no-cache

## make lock: 修改 pyproject.toml 或 requirements/dev.in 后重新生成带哈希的锁定文件
lock: $(DEV)
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o runtime.txt ../pyproject.toml
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o dev.txt dev.in

clean:
	rm -rf site .site.tmp .site.old site-redacted site-redacted.tmp offline .offline.tmp committee-site

## make new-year YEAR=2023: 从最新年度生成下一年度的数据与页面骨架（不覆盖已有年度；跳年加 FORCE=1）
.PHONY: new-year
new-year: $(RUNTIME)
	$(BIN)/python -m macros.commands.newyear $(if $(value YEAR),$(call arg,YEAR)) $(if $(value FORCE),--force)

## make records-template [YEAR=2023] [OUT=台账模板-2023.xlsx]: 台账填写模板（每种活动一张工作表，姓名可下拉选择）
.PHONY: records-template import-records
records-template: $(RUNTIME)
	$(BIN)/python -m macros.commands.records_xlsx template $(if $(value YEAR),--year $(call arg,YEAR)) \
	  $(if $(value OUT),--out $(call arg,OUT))

## make import-records FILE=台账.xlsx [YEAR=2023] [LATE=1]: 逐行检查填好的台账，全部无误才写入 data/records/<年份>/（不覆盖已有记录）；
## 年度取自表格（YEAR= 只作核对）；已印发年度只能加 LATE=1 作为“印发后补录”导入
import-records: $(RUNTIME)
	@test -n $(call arg,FILE) || { echo "用法：make import-records FILE=台账.xlsx [YEAR=2023] [LATE=1]"; exit 2; }
	$(BIN)/python -m macros.commands.records_xlsx import $(call arg,FILE) $(if $(value YEAR),--year $(call arg,YEAR)) \
	  $(if $(value LATE),--late)

## make dues-template YEAR=2023 [OUT=党费交纳-2023.xlsx]: 党费交纳填写模板（每笔一行，姓名和月份可下拉选择）
## make import-dues FILE=党费交纳.xlsx [YEAR=2023]: 逐行检查，全部无误才把新的交纳记录写入 data/people/<年份>/dues.yaml
.PHONY: dues-template import-dues
dues-template: $(RUNTIME)
	@test -n "$(YEAR)" || { echo "用法：make dues-template YEAR=2023 [OUT=党费交纳-2023.xlsx]"; exit 2; }
	$(BIN)/python -m macros.commands.dues_xlsx template --year $(YEAR) $(if $(OUT),--out "$(OUT)")

import-dues: $(RUNTIME)
	@test -n "$(FILE)" || { echo "用法：make import-dues FILE=党费交纳.xlsx [YEAR=2023]"; exit 2; }
	$(BIN)/python -m macros.commands.dues_xlsx import "$(FILE)" $(if $(YEAR),--year $(YEAR))

## make publish DEST=/srv/party-site/www/site：严格构建到 DEST 旁的临时目录，成功后一次 rename 原子换上；
## 构建失败（数据错、坏链接）时 DEST 一字节不变。见 deploy/publish.py 与 deploy/README.md。
.PHONY: publish
publish: $(RUNTIME)
	@test -n $(call arg,DEST) || { echo "用法：make publish DEST=/srv/party-site/www/site"; exit 2; }
	$(BIN)/python -m deploy.publish $(call arg,DEST) --config $(call arg,CONFIG)

## make build-redacted: 脱敏版，严格模式构建到 site-redacted/：数字每位显示为 *，文字数据显示遮蔽符
## （与 make publish 相同：先建到旁边的临时目录，成功后原子换上；失败时原目录不变，不留临时目录）
REDACTED_DIR ?= site-redacted
build-redacted: $(RUNTIME)
	$(BIN)/python -m deploy.copies --config $(call arg,CONFIG) redacted $(call arg,REDACTED_DIR)

## make offline: 离线副本 offline/site-offline.zip：解压后打开 site/index.html 即可浏览与搜索（file://）
## 加 REDACTED=true 得到脱敏的离线副本；失败时原有的 zip 不变，不留临时目录（deploy/copies.py）
OFFLINE_ZIP ?= offline/site-offline.zip
offline: $(RUNTIME)
	$(if $(value REDACTED),REDACTED=$(call arg,REDACTED)) \
	  $(BIN)/python -m deploy.copies --config $(call arg,CONFIG) offline $(call arg,OFFLINE_ZIP)

## make check: 只检查数据（与构建时相同的检查），不构建；列出每个待填数据项。有错误时退出码非 0
check: $(RUNTIME)
	$(BIN)/python -m macros.commands.check

## make schemas: 修改 data/catalogue.yaml 后，重新生成 schemas/figures.schema.json（编辑器提示用）
schemas: $(RUNTIME)
	$(BIN)/python -m macros.commands.schemas

## make committee [COMMITTEE=examples/committee] [BRANCHES=office,general] [OUT=committee-site] [REDACTED=true] [OFFLINE=true]:
## 机关党委汇总：并行构建各党支部网站到 OUT/<简称>/，汇总页为 OUT/index.html；某支部数据有错不影响其他支部，
## 其上次的网站保留，汇总中标为“构建失败”，命令列出失败的支部并以非 0 退出。未改动的支部沿用上次构建。
## 各值原样作为参数传给 macros/committee/build.py（不展开，见上面的 arg）。见 examples/committee/README.md
.PHONY: committee
committee: $(RUNTIME)
	$(if $(value REDACTED),REDACTED=$(call arg,REDACTED)) $(if $(value OFFLINE),OFFLINE=$(call arg,OFFLINE)) \
	  $(BIN)/python -m macros.committee.build --root=$(if $(value COMMITTEE),$(call arg,COMMITTEE),examples/committee) \
	  --out=$(if $(value OUT),$(call arg,OUT),committee-site) --branches=$(call arg,BRANCHES)

## make bench: 性能基准（数分钟；不属于 make test）：打印表格并写入 BENCHMARKS.md
.PHONY: bench
bench: $(DEV)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

## make second-builder: 用 ProperDocs 1.6.7（MkDocs 1.x 的延续）与 MkDocs 各严格构建一次本站（普通、脱敏、离线），
## 逐个文件比较（tools/same_site.py，只忽略 <meta name="generator">）；有任何不同即失败并列出文件。CI 在 make test 之后运行
.PHONY: second-builder
second-builder: $(DEV)
	$(BIN)/python -m tools.compare_builders

## make issue YEAR=2022 [DATE=2023-01-10]: 严格检查并构建后，标记该年度报告已印发（写入 data/<年份>/issued.yaml，印发的数字此后不变）
.PHONY: issue
issue: $(RUNTIME)
	@test -n "$(YEAR)" || { echo "用法：make issue YEAR=2022 [DATE=印发日期，默认今天]"; exit 2; }
	$(BIN)/python -m macros.commands.issue $(YEAR) $(if $(DATE),--date $(DATE))
