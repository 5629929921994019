module github.com/connect4go/connect4/frontend

go 1.26.8

require (
	github.com/connect4go/connect4/shared v0.0.0
	github.com/hack-pad/safejs v0.1.1
)

require pgregory.net/rapid v1.3.0

replace github.com/connect4go/connect4/shared => ../shared
