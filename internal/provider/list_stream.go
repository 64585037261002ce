// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import "github.com/hashicorp/terraform-plugin-framework/list"

// listEmitter hands list results to Terraform's stream and tells a page
// loop when to stop: Terraform stopped reading, a result carried an error,
// or the list block's limit was reached. stopped then says that the loop
// ended on purpose, so that the error a cut-short listing returns is not
// reported.
type listEmitter struct {
	push    func(list.ListResult) bool
	limit   int64
	emitted int64
	stopped bool
}

// emit pushes one result that counts towards the limit, and reports
// whether the listing goes on.
func (e *listEmitter) emit(r list.ListResult) bool {
	if !e.push(r) || r.Diagnostics.HasError() {
		e.stopped = true
		return false
	}
	e.emitted++
	if e.limit > 0 && e.emitted >= e.limit {
		e.stopped = true
		return false
	}
	return true
}

// note pushes a result that does not count towards the limit, such as a
// warning, and reports whether the listing goes on.
func (e *listEmitter) note(r list.ListResult) bool {
	if !e.push(r) {
		e.stopped = true
		return false
	}
	return true
}
